/**
 * A regex RE2 takes but matches slowly: about 0.3 s per line of `abLines` (its DFA gives up and the NFA carries
 * ~100 threads per character), though its program is only 106 instructions, well within the cost bound.
 */
export const SLOW_REGEX = '[ab]*a[ab]{100}$';

/** Lines of 10 000 pseudo-random a/b (the same every run). */
export function abLines(count: number, length = 10_000): string[] {
  let seed = 42;
  const coin = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed < 2 ** 30;
  };
  return Array.from({ length: count }, () => Array.from({ length }, () => (coin() ? 'a' : 'b')).join(''));
}
