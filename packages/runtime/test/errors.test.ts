import { describe, expect, it } from 'vitest';
import { errorCode, errorMessage, RuntimeError } from '../src/errors.js';

describe('errorCode', () => {
  it('takes the code first, then a type, then nothing', () => {
    expect(errorCode(new RuntimeError('MEKONG_CONFIG_INVALID', 'bad'))).toBe('MEKONG_CONFIG_INVALID');
    expect(errorCode(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(errorCode({ type: 'TOPIC_ALREADY_EXISTS' })).toBe('TOPIC_ALREADY_EXISTS');
    expect(errorCode({ code: 'ECONNRESET', type: 'UNKNOWN' })).toBe('ECONNRESET');
    expect(errorCode({ code: 42 })).toBeUndefined();
    expect(errorCode(new Error('plain'))).toBeUndefined();
    expect(errorCode('text')).toBeUndefined();
    expect(errorCode(null)).toBeUndefined();
  });
});

describe('errorMessage', () => {
  it('is the message of an Error, else the value as text', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage(404)).toBe('404');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});
