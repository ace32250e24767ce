import { cellPath, linePath, type TelemetryMessage } from '@mekong/contracts';
import type { KpiEvent } from './kpi-event.js';

/**
 * The engine's event for a validated contract message: state, count and labour become a KpiEvent,
 * sensor and alarm readings are not KPI input (undefined). Only the fields the engine reads are copied;
 * unknown payload fields the contract kept stay behind.
 *
 * `publisher` is the MQTT topic: `seq` is counted per publisher, and a device may keep one counter per
 * topic (its state and its count messages), so the topic is the narrowest identity that is always right.
 */
export function kpiEventFromMessage(message: TelemetryMessage): KpiEvent | undefined {
  const envelope = { tsMs: message.payload.ts, seq: message.payload.seq, publisher: message.topic };
  switch (message.kind) {
    case 'state': {
      const { state, reason, product } = message.payload;
      return {
        kind: 'state',
        path: cellPath(message.address),
        ...envelope,
        state,
        ...(reason === undefined ? {} : { reason }),
        ...(product === undefined ? {} : { product }),
      };
    }
    case 'count': {
      const { good, scrap, product } = message.payload;
      return { kind: 'count', path: cellPath(message.address), ...envelope, good, scrap, product };
    }
    case 'labour': {
      const payload = message.payload;
      const path = linePath(message.address);
      return payload.event === 'headcount'
        ? { kind: 'labour', path, ...envelope, event: 'headcount', count: payload.count }
        : { kind: 'labour', path, ...envelope, event: payload.event, worker: payload.worker };
    }
    case 'sensor':
    case 'alarm':
      return undefined;
  }
}
