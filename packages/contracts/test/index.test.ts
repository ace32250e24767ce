import { describe, expect, it } from 'vitest';
import {
  cellPath,
  formatLineProtocol,
  formatTopic,
  isValidLevelName,
  kafkaTopicFor,
  linePath,
  MekongError,
  parseEventTime,
  parseMessage,
  parseTopic,
  statePayloadSchema,
  toInfluxPoints,
} from '../src/index.js';

describe('public API', () => {
  it('exports the functions services call', () => {
    const functions = [
      parseMessage,
      parseTopic,
      formatTopic,
      isValidLevelName,
      linePath,
      cellPath,
      kafkaTopicFor,
      toInfluxPoints,
      formatLineProtocol,
      parseEventTime,
      MekongError,
    ];
    for (const exported of functions) expect(exported).toBeTypeOf('function');
    expect(statePayloadSchema.safeParse).toBeTypeOf('function');
  });

  it('carries a message from bytes to line protocol', () => {
    const result = parseMessage(
      'mekong/v1/acme/hcm/assembly/line-1/press-1/state',
      new TextEncoder().encode('{"ts":0,"seq":1,"state":"idle"}'),
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(formatLineProtocol(toInfluxPoints(result.value))).toBe(
      'machine_state,area=assembly,cell=press-1,enterprise=acme,line=line-1,site=hcm state="idle",seq=1i 0',
    );
  });
});
