import { describe, expect, it } from 'vitest';
import { formatDurationMs, parseDurationMs } from '../../../../renderer/format/duration.js';

describe('durations as typed', () => {
  it('reads plain milliseconds and each unit', () => {
    expect(parseDurationMs('2500')).toBe(2500);
    expect(parseDurationMs('250ms')).toBe(250);
    expect(parseDurationMs('30s')).toBe(30_000);
    expect(parseDurationMs('5m')).toBe(300_000);
    expect(parseDurationMs('1h')).toBe(3_600_000);
    expect(parseDurationMs('2d')).toBe(172_800_000);
  });

  it('takes fractions, spaces, capitals and several parts', () => {
    expect(parseDurationMs(' 1.5s ')).toBe(1500);
    expect(parseDurationMs('2 S')).toBe(2000);
    expect(parseDurationMs('1m 30s')).toBe(90_000);
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(parseDurationMs('1h5m')).toBe(3_900_000);
    expect(parseDurationMs('0.0004s')).toBe(0);
  });

  it('reads a plain number in the unit the field counts', () => {
    expect(parseDurationMs('30', 1000)).toBe(30_000);
    expect(parseDurationMs('1.5', 1000)).toBe(1500);
    expect(parseDurationMs('30s', 1000)).toBe(30_000);
  });

  it('refuses what is not a duration', () => {
    for (const text of ['', 's', '-5s', '5x', '5 minutes', '1e3', '5s later', '1.s', 'ms5', '1.'])
      expect(parseDurationMs(text), text).toBeNull();
  });
});

describe('durations shown for typing back', () => {
  it('writes each unit from the largest, leaving out the empty ones', () => {
    expect(formatDurationMs(250)).toBe('250ms');
    expect(formatDurationMs(30_000)).toBe('30s');
    expect(formatDurationMs(90_000)).toBe('1m30s');
    expect(formatDurationMs(5_400_000)).toBe('1h30m');
    expect(formatDurationMs(93_600_000)).toBe('1d2h');
    expect(formatDurationMs(1500)).toBe('1s500ms');
    expect(formatDurationMs(0)).toBe('0s');
  });

  it('reads back as the same milliseconds', () => {
    for (const ms of [1, 999, 1000, 61_001, 3_599_999, 86_400_000, 90_061_001])
      expect(parseDurationMs(formatDurationMs(ms)), String(ms)).toBe(ms);
  });
});
