import { describe, expect, it } from 'vitest';
import { nearestIndex, stepIndex } from '../../../../renderer/components/chart-cursor.js';

const points = [0, 10_000, 20_000, 60_000].map((at, i) => ({ at, value: i }));

describe('the chart crosshair', () => {
  it('lands on the sample nearest in time, the earlier one on a tie', () => {
    expect(nearestIndex(points, -5_000)).toBe(0);
    expect(nearestIndex(points, 4_999)).toBe(0);
    expect(nearestIndex(points, 5_000)).toBe(0);
    expect(nearestIndex(points, 5_001)).toBe(1);
    expect(nearestIndex(points, 41_000)).toBe(3);
    expect(nearestIndex(points, 90_000)).toBe(3);
    expect(nearestIndex([], 1)).toBe(-1);
  });

  it('steps with the arrow keys, jumps with Page keys and the ends, and stays inside the samples', () => {
    expect(stepIndex('ArrowLeft', 2, 4)).toBe(1);
    expect(stepIndex('ArrowRight', 2, 4)).toBe(3);
    expect(stepIndex('ArrowRight', 3, 4)).toBe(3);
    expect(stepIndex('ArrowLeft', 0, 4)).toBe(0);
    expect(stepIndex('Home', 2, 4)).toBe(0);
    expect(stepIndex('End', 0, 4)).toBe(3);
    expect(stepIndex('PageUp', 0, 100)).toBe(10);
    expect(stepIndex('PageDown', 50, 100)).toBe(40);
    // Nothing focused yet: the first arrow left starts at the newest sample.
    expect(stepIndex('ArrowLeft', 4, 4)).toBe(3);
    expect(stepIndex('Enter', 1, 4)).toBeNull();
    expect(stepIndex('ArrowLeft', 0, 0)).toBeNull();
  });
});
