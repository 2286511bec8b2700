import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8Offset } from '../../../electron/core/invalid-utf8.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('firstInvalidUtf8Offset', () => {
  it('is null for UTF-8, including every sequence length', () => {
    expect(firstInvalidUtf8Offset(Buffer.from('a é € 😀'))).toBeNull();
    expect(firstInvalidUtf8Offset(bytes())).toBeNull();
  });

  it('points at the start of the first ill-formed sequence', () => {
    expect(firstInvalidUtf8Offset(bytes(0x61, 0xff))).toBe(1); // never a lead byte
    expect(firstInvalidUtf8Offset(bytes(0x61, 0x80))).toBe(1); // a lone continuation
    expect(firstInvalidUtf8Offset(bytes(0x61, 0x62, 0xc3))).toBe(2); // cut short at the end
    expect(firstInvalidUtf8Offset(bytes(0xc3, 0xa9, 0xc0, 0x80))).toBe(2); // overlong NUL
    expect(firstInvalidUtf8Offset(bytes(0xed, 0xa0, 0x80))).toBe(0); // a UTF-16 surrogate
    expect(firstInvalidUtf8Offset(bytes(0xf4, 0x90, 0x80, 0x80))).toBe(0); // above U+10FFFF
    expect(firstInvalidUtf8Offset(bytes(0xe2, 0x82, 0x41))).toBe(0); // third byte not a continuation
  });
});
