import { type MekongIssue, parseMessage, parseTopic } from '@mekong/contracts';

/**
 * Checks a telemetry payload against the contracts at the edge. Topics outside the telemetry tree
 * (commands, `$SYS`) are not the contracts' business and pass; the ACL decides on them.
 */
export function validateAtEdge(
  topic: string,
  payload: Uint8Array,
  maxPayloadBytes: number,
): MekongIssue | undefined {
  if (!parseTopic(topic).ok) return undefined;
  const result = parseMessage(topic, payload, { maxPayloadBytes });
  return result.ok ? undefined : result.error;
}
