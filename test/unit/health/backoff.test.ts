import { describe, expect, it } from 'vitest';
import { fullJitterBackoff } from '../../../electron/health/backoff.js';

describe('fullJitterBackoff', () => {
  it('is random × min(max, base × 2^attempt)', () => {
    expect(fullJitterBackoff(0, 100, 10_000, () => 0.5)).toBe(50);
    expect(fullJitterBackoff(1, 100, 10_000, () => 0.5)).toBe(100);
    expect(fullJitterBackoff(3, 100, 10_000, () => 0.25)).toBe(200);
  });

  it('caps the ceiling at maxMs, even for huge attempts', () => {
    expect(fullJitterBackoff(5, 100, 1_000, () => 0.5)).toBe(500);
    expect(fullJitterBackoff(5_000, 100, 1_000, () => 0.999)).toBeCloseTo(999);
  });

  it('spans [0, ceiling) as random spans [0, 1)', () => {
    expect(fullJitterBackoff(2, 100, 10_000, () => 0)).toBe(0);
    expect(fullJitterBackoff(2, 100, 10_000, () => 0.999_999)).toBeLessThan(400);
  });

  it('clamps a random source that misbehaves', () => {
    expect(fullJitterBackoff(0, 100, 1_000, () => 7)).toBe(100);
    expect(fullJitterBackoff(0, 100, 1_000, () => -1)).toBe(0);
    expect(fullJitterBackoff(0, 100, 1_000, () => Number.NaN)).toBe(0);
  });
});
