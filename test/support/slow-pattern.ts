/**
 * A regex RE2 takes but matches slowly: about 0.25 s per line of `abLines` on every line, though its program is only
 * 306 instructions, well within the cost bound. (`[ab]{100}` is not enough: re2js's DFA cache warms up on it and
 * later lines take ~2 ms, so "slow" would depend on how many lines came before.)
 */
export const SLOW_REGEX = '[ab]*a[ab]{300}$';

/** Lines of 10 000 pseudo-random a/b (the same every run). */
export function abLines(count: number, length = 10_000): string[] {
  let seed = 42;
  const coin = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed < 2 ** 30;
  };
  return Array.from({ length: count }, () => Array.from({ length }, () => (coin() ? 'a' : 'b')).join(''));
}
