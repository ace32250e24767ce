import { describe, expect, it } from 'vitest';
import { filterCovers, topicMatches } from '../../src/acl/topic-filter.js';

describe('topicMatches', () => {
  it.each([
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a/b/d', false],
    ['+/b', 'a/b', true],
    ['#', '$SYS/x', false],
    ['a/b', 'a/b/c', false],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});

describe('filterCovers', () => {
  it.each([
    ['mekong/#', 'mekong/v1/#', true],
    ['mekong/#', 'mekong', true],
    ['mekong/+/x', 'mekong/+/x', true],
    ['mekong/+/x', 'mekong/#', false],
    ['mekong/a', 'mekong/+', false],
    ['#', '$SYS/#', false],
  ])('%s covers %s: %s', (allowed, requested, expected) => {
    expect(filterCovers(allowed, requested)).toBe(expected);
  });
});
