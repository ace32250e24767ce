import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasControlCharacter, hasLoneSurrogate } from '../src/unicode-text.js';

describe('hasLoneSurrogate', () => {
  it.each([
    ['plain Vietnamese', 'Dây chuyền số 1', false],
    ['an emoji (a surrogate pair)', 'máy 🚀', false],
    ['a high surrogate alone', 'a\ud800b', true],
    ['a low surrogate alone', '\udc00', true],
    ['a high surrogate at the end', 'x\ud83d', true],
    ['reversed pair', '\ude80\ud83d', true],
  ])('%s', (_what, text, expected) => {
    expect(hasLoneSurrogate(text)).toBe(expected);
  });
});

describe('hasControlCharacter', () => {
  it.each([
    ['plain text', 'press-1 Đ', false],
    ['a no-break space', 'a\u00a0b', false],
    ['a newline', 'a\nb', true],
    ['a carriage return', 'a\rb', true],
    ['a tab', 'a\tb', true],
    ['NUL', '\u0000', true],
    ['DEL', '\u007f', true],
    ['a C1 control (NEL)', '\u0085', true],
  ])('%s', (_what, text, expected) => {
    expect(hasControlCharacter(text)).toBe(expected);
  });
});

describe('hasLoneSurrogate agrees with the regular expression it replaced', () => {
  const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  const unit = fc.constantFrom('a', 'é', '\ud83d', '\ude80', '\udbff', '\udc00', '\ud800', '\udfff');
  it('on strings of surrogates and ordinary characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 8 }), (text) => {
        expect(hasLoneSurrogate(text)).toBe(loneSurrogate.test(text));
      }),
      { numRuns: 2000 },
    );
  });
});
