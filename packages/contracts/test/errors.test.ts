import { describe, expect, it } from 'vitest';
import { isMekongErrorCode, MEKONG_ERROR_CODES, MekongError } from '../src/errors.js';

describe('error codes', () => {
  it('include every code the contract promises', () => {
    expect(MEKONG_ERROR_CODES).toEqual(
      expect.arrayContaining([
        'MEKONG_INVALID_JSON',
        'MEKONG_INVALID_UTF8',
        'MEKONG_INVALID_PAYLOAD',
        'MEKONG_INVALID_TOPIC',
        'MEKONG_UNKNOWN_KIND',
        'MEKONG_PAYLOAD_TOO_LARGE',
        'MEKONG_TOPIC_NOT_ALLOWED',
        'MEKONG_INVALID_LINE_PROTOCOL',
      ]),
    );
    expect(new Set(MEKONG_ERROR_CODES).size).toBe(MEKONG_ERROR_CODES.length);
  });

  it('isMekongErrorCode tells codes from other values', () => {
    expect(isMekongErrorCode('MEKONG_INVALID_JSON')).toBe(true);
    expect(isMekongErrorCode('MEKONG_NOPE')).toBe(false);
    expect(isMekongErrorCode(undefined)).toBe(false);
  });
});

describe('MekongError', () => {
  it('carries code, path, message and cause, and serialises to an issue', () => {
    const cause = new Error('root');
    const error = new MekongError('MEKONG_INVALID_PAYLOAD', 'good: expected int', { path: ['good'], cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('MekongError');
    expect(error.code).toBe('MEKONG_INVALID_PAYLOAD');
    expect(error.path).toEqual(['good']);
    expect(error.message).toBe('good: expected int');
    expect(error.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(error.toIssue()))).toEqual({
      code: 'MEKONG_INVALID_PAYLOAD',
      path: ['good'],
      message: 'good: expected int',
    });
  });

  it('defaults to an empty path', () => {
    expect(new MekongError('MEKONG_INVALID_TOPIC', 'x').path).toEqual([]);
  });
});
