// aedes-persistence's own conformance suite (node:test) run against its memory store with our indexed
// outgoing queues; run by indexed-outgoing.test.ts in a child process.
import { createRequire } from 'node:module';
import { test } from 'node:test';
import memoryPersistence from 'aedes-persistence';
import { indexOutgoingQueues } from '../../src/persistence/indexed-outgoing.js';

const require = createRequire(import.meta.url);
const abstractPersistence = require('aedes-persistence/abstract.js') as (options: object) => void;

abstractPersistence({
  test,
  persistence: () => indexOutgoingQueues(memoryPersistence()),
  testAsync: true,
});
