import { describe, expect, it } from 'vitest';
import { parseDurationMs } from '../../../../renderer/format/duration.js';

describe('durations as typed', () => {
  it('reads plain milliseconds and each unit', () => {
    expect(parseDurationMs('2500')).toBe(2500);
    expect(parseDurationMs('250ms')).toBe(250);
    expect(parseDurationMs('30s')).toBe(30_000);
    expect(parseDurationMs('5m')).toBe(300_000);
    expect(parseDurationMs('1h')).toBe(3_600_000);
  });

  it('takes fractions, spaces, capitals and several parts', () => {
    expect(parseDurationMs(' 1.5s ')).toBe(1500);
    expect(parseDurationMs('2 S')).toBe(2000);
    expect(parseDurationMs('1m 30s')).toBe(90_000);
    expect(parseDurationMs('1h5m')).toBe(3_900_000);
    expect(parseDurationMs('0.0004s')).toBe(0);
  });

  it('refuses what is not a duration', () => {
    for (const text of ['', 's', '-5s', '5x', '5 minutes', '1e3', '5s later', '1.s', 'ms5'])
      expect(parseDurationMs(text), text).toBeNull();
  });
});
