/**
 * The length of `value` in Unicode code points, as PostgreSQL's char_length counts it: a
 * character outside the BMP (an emoji) is one, and so is a variation selector (U+FE0E, U+FE0F),
 * which validator.js' isLength skips and would let a "256-character" key carry 512.
 */
export function codePointLength(value: string): number {
  let surrogatePairs = 0;
  for (let i = 0; i < value.length - 1; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        surrogatePairs++;
        i++;
      }
    }
  }
  return value.length - surrogatePairs;
}

/** Whether `value` has `min` to `max` code points; never walks more than 2 × max code units. */
export function hasTextLength(value: string, min: number, max: number): boolean {
  // A code point is one or two code units: past 2 × max units the text is too long, whatever it holds.
  if (value.length > 2 * max) return false;
  const length = codePointLength(value);
  return length >= min && length <= max;
}

/** `key must be 1 to 256 characters long`, `field2 must be at most 1024 characters long`. */
export function textLengthMessage(field: string, min: number, max: number): string {
  return min > 0 ? `${field} must be ${min} to ${max} characters long` : `${field} must be at most ${max} characters long`;
}
