import { brokerConfigFromEnv } from './config.js';
import { runBroker } from './run-broker.js';

// The broker's own entry, for its container image: configuration from MEKONG_BROKER_* variables.
const config = await brokerConfigFromEnv().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
await runBroker(config);
