import { describe, expect, it } from 'vitest';
import {
  coveredMs,
  formatSpan,
  resultsCaption,
  uptimeLines,
} from '../../../../../renderer/views/services/data-coverage.js';

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;
const now = Date.UTC(2026, 11, 3, 18, 0, 0);

describe('data-coverage wording', () => {
  it('names a span in the largest unit that fits, never rounding up', () => {
    expect(formatSpan(0)).toBe('0 s');
    expect(formatSpan(40_900)).toBe('40 s');
    expect(formatSpan(2 * minute + 59 * second)).toBe('2 min');
    expect(formatSpan(day)).toBe('24 h');
    expect(formatSpan(47 * hour)).toBe('47 h');
    expect(formatSpan(7 * day)).toBe('7 d');
    expect(formatSpan(30 * day)).toBe('30 d');
  });

  it('measures the covered part of a period from the first result, capped at the period', () => {
    expect(coveredMs(day, null, now)).toBe(0);
    expect(coveredMs(day, now - 2 * minute, now)).toBe(2 * minute);
    expect(coveredMs(day, now - 3 * day, now)).toBe(day);
    expect(coveredMs(day, now + 5 * second, now)).toBe(0); // a result from a clock ahead of ours
  });

  it('says an uptime of two minutes of data is over the last 2 min, once, not per period', () => {
    expect(uptimeLines({ day: 0.44, week: 0.44, month: 0.44, since: now - 2 * minute - 10 * second }, now)).toEqual([
      '44.0 % over the last 2 min',
    ]);
  });

  it('says a share from the first result alone comes from it, not "over the last 0 s"', () => {
    expect(uptimeLines({ day: 0, week: 0, month: 0, since: now - 200 }, now)).toEqual(['0.0 % from the first result']);
  });

  it('gives each period its own figure while the data fills it, then the span the rest stands on', () => {
    const uptime = { day: 0.9995, week: 0.981, month: 0.981, since: now - 3 * day - hour };
    expect(uptimeLines(uptime, now)).toEqual(['99.95 % over the last 24 h', '98.1 % over the last 3 d']);
    const full = { day: 1, week: 0.999, month: 0.5, since: now - 40 * day };
    expect(uptimeLines(full, now)).toEqual([
      '100 % over the last 24 h',
      '99.90 % over the last 7 d',
      '50.0 % over the last 30 d',
    ]);
  });

  it('says a period without results has none, and so does a check without any', () => {
    const paused = { day: null, week: 0.8, month: 0.8, since: now - 5 * day };
    expect(uptimeLines(paused, now)).toEqual(['No results in the last 24 h', '80.0 % over the last 5 d']);
    expect(uptimeLines({ day: null, week: null, month: null, since: null }, now)).toEqual([
      'No results in the last 30 d',
    ]);
  });

  it('captions the 24-hour bar with how much of it has data', () => {
    expect(resultsCaption(day, now - 2 * day, now)).toBe('Results, last 24 h');
    expect(resultsCaption(day, now - 2 * minute, now)).toBe('Results, last 24 h: data for the last 2 min only');
    expect(resultsCaption(day, now - 30 * second, now)).toBe('Results, last 24 h: data for the last 30 s only');
    expect(resultsCaption(day, now, now)).toBe('Results, last 24 h: the first result just came in');
    expect(resultsCaption(day, null, now)).toBe('Results, last 24 h: no results');
  });
});
