import { describe, expect, it } from 'vitest';
import { checkTopicLimits } from '../../src/limits/topic-limits.js';

describe('checkTopicLimits', () => {
  const limits = { maxTopicLength: 10, maxTopicDepth: 3 };
  it.each([
    ['a/b/c', undefined],
    ['a/b/c/d', 'topic_too_deep'],
    ['abcdefghijk', 'topic_too_long'],
    ['éééééé', 'topic_too_long'], // 12 bytes of UTF-8
  ])('%s → %s', (topic, expected) => {
    expect(checkTopicLimits(topic, limits)).toBe(expected);
  });
});
