// A lone UTF-16 surrogate (reachable through a JSON "\ud800" escape) has no UTF-8 encoding: a
// TextEncoder would silently turn it into U+FFFD, so such text is refused instead.
export function hasLoneSurrogate(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    if (unit >= 0xdc00) return true; // a low surrogate without a high one before it
    const next = text.charCodeAt(index + 1); // NaN past the end
    if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
    index++; // a well-formed pair
  }
  return false;
}

/** C0 controls (tab, newline, carriage return…), DEL and C1 controls. */
export function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    if (isControlUnit(text.charCodeAt(index))) return true;
  }
  return false;
}

function isControlUnit(unit: number): boolean {
  return unit <= 0x1f || (unit >= 0x7f && unit <= 0x9f);
}

/**
 * True for text that is plainly a valid identifier, in one pass: 1 to `maxLength` UTF-16 units, no
 * control character, no surrogate at all (so no lone one either), and no backslash when `forTag` (the
 * only backslash-free case line protocol needs no further look at). False means "look closer", not
 * "invalid": text with an emoji or a backslash may still be valid.
 */
export function isPlainId(text: string, maxLength: number, forTag: boolean): boolean {
  if (text.length === 0 || text.length > maxLength) return false;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (isControlUnit(unit) || (unit >= 0xd800 && unit <= 0xdfff) || (forTag && unit === 0x5c)) return false;
  }
  return true;
}

/** True for text of at most `maxLength` units without any surrogate; false means "look closer". */
export function isPlainText(text: string, maxLength: number): boolean {
  if (text.length > maxLength) return false;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdfff) return false;
  }
  return true;
}
