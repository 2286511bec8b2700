/**
 * The offset of the first byte that starts an ill-formed UTF-8 sequence, or null when all of it is UTF-8.
 * TextDecoder's `fatal` mode says that a text is not UTF-8 but not where.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number | null {
  let at = 0;
  while (at < bytes.length) {
    const length = sequenceLength(bytes, at);
    if (length === 0) return at;
    at += length;
  }
  return null;
}

/** The length of the well-formed sequence at `at` (Unicode table 3-7), or 0 when none starts there. */
function sequenceLength(bytes: Uint8Array, at: number): number {
  const lead = bytes[at]!;
  if (lead <= 0x7f) return 1;
  const [length, low, high] = leadRange(lead);
  if (length === 0) return 0;
  for (let i = 1; i < length; i += 1) {
    const byte = bytes[at + i];
    const [min, max] = i === 1 ? [low, high] : [0x80, 0xbf];
    if (byte === undefined || byte < min || byte > max) return 0;
  }
  return length;
}

/** For a lead byte: the sequence length and the allowed range of the second byte (overlongs, surrogates excluded). */
function leadRange(lead: number): [number, number, number] {
  if (lead >= 0xc2 && lead <= 0xdf) return [2, 0x80, 0xbf];
  if (lead === 0xe0) return [3, 0xa0, 0xbf];
  if (lead === 0xed) return [3, 0x80, 0x9f];
  if (lead >= 0xe1 && lead <= 0xef) return [3, 0x80, 0xbf];
  if (lead === 0xf0) return [4, 0x90, 0xbf];
  if (lead >= 0xf1 && lead <= 0xf3) return [4, 0x80, 0xbf];
  if (lead === 0xf4) return [4, 0x80, 0x8f];
  return [0, 0, 0];
}
