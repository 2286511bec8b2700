import { describe, expect, it } from 'vitest';
import { RecordFreshness } from '../../../electron/cluster/record-freshness.js';
import { memberRecord } from './coordination-contract.js';

const entry = (id: string, publishedAt: number) => ({ record: { ...memberRecord(id), publishedAt }, lastSeen: 0 });

describe('RecordFreshness', () => {
  it('counts from the last write of a record, not from a list that repeats it', () => {
    const freshness = new RecordFreshness(3000);
    freshness.observe([entry('a', 100), entry('b', 100)], 0);
    // b writes again at 2 s; a's record is only listed again.
    freshness.observe([entry('a', 100), entry('b', 2100)], 2000);
    expect(freshness.isStale('a', 3000)).toBe(false);
    expect(freshness.isStale('a', 3001)).toBe(true);
    expect(freshness.isStale('b', 3001)).toBe(false);
    expect(freshness.isStale('b', 5001)).toBe(true);
  });

  it('starts every member afresh on a reconnection, and forgets members no longer listed', () => {
    const freshness = new RecordFreshness(3000);
    freshness.observe([entry('a', 100), entry('b', 100)], 0);
    freshness.restart(10_000);
    expect(freshness.isStale('a', 12_000)).toBe(false);
    expect(freshness.isStale('a', 13_001)).toBe(true);
    freshness.observe([entry('b', 100)], 14_000);
    expect(freshness.isStale('a', 20_000)).toBe(false);
  });
});
