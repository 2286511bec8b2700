import { describe, expect, it } from 'vitest';
import { isSkewed, skewText } from '../../../../renderer/format/clock-skew.js';
import type { Member } from '../../../../shared/node.js';
import { memberRecord } from '../../cluster/coordination-contract.js';

const member = (clockSkewMs?: number): Member => ({
  ...memberRecord('b'),
  leader: false,
  lastSeen: 1,
  ...(clockSkewMs === undefined ? {} : { clockSkewMs }),
});

describe('clock skew in the Nodes view', () => {
  it('says how far ahead or behind, in seconds', () => {
    expect(skewText(30_012)).toBe('30 s ahead');
    expect(skewText(-2_460)).toBe('2.5 s behind');
    expect(skewText(0)).toBe('0 s ahead');
  });

  it('warns only beyond 2 s either way, and not before there is an estimate', () => {
    expect([undefined, 0, 2000, -2000].map((skew) => isSkewed(member(skew)))).toEqual([false, false, false, false]);
    expect([2001, -2001, 30_000].map((skew) => isSkewed(member(skew)))).toEqual([true, true, true]);
  });
});
