export interface TopicLimits {
  /** Longest topic in bytes of UTF-8. */
  maxTopicLength: number;
  /** Most levels (`/`-separated parts). */
  maxTopicDepth: number;
}

/** `topic_too_long` or `topic_too_deep` when a topic or filter breaks a limit, else undefined. */
export function checkTopicLimits(
  topic: string,
  limits: TopicLimits,
): 'topic_too_long' | 'topic_too_deep' | undefined {
  if (Buffer.byteLength(topic) > limits.maxTopicLength) return 'topic_too_long';
  let depth = 1;
  for (let i = 0; i < topic.length; i++) if (topic.charCodeAt(i) === 47) depth++;
  return depth > limits.maxTopicDepth ? 'topic_too_deep' : undefined;
}
