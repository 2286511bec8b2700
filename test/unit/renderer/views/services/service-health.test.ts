import { describe, expect, it } from 'vitest';
import type { CheckState, CheckStatus } from '../../../../../shared/services.js';
import {
  healthRank,
  serviceHealth,
  serviceHealthLabels,
} from '../../../../../renderer/views/services/service-health.js';

const oneCheck = [{ name: 'health' } as CheckState];

describe('service health wording', () => {
  it('says "No checks" for a service nothing checks, even when its running process counts as passing', () => {
    for (const status of ['passing', 'unknown'] as CheckStatus[]) {
      expect(serviceHealth({ status, checks: [] })).toBe('no-checks');
    }
    expect(serviceHealthLabels['no-checks']).toBe('No checks');
  });

  it('keeps the colour of a supervised process in trouble, and a checked service its status', () => {
    expect(serviceHealth({ status: 'critical', checks: [] })).toBe('critical');
    expect(serviceHealth({ status: 'warning', checks: [] })).toBe('warning');
    expect(serviceHealth({ status: 'passing', checks: oneCheck })).toBe('passing');
    expect(serviceHealth({ status: 'unknown', checks: oneCheck })).toBe('unknown');
  });

  it('ranks nothing checked below unknown and above passing, worst first', () => {
    const order = (['passing', 'no-checks', 'critical', 'unknown', 'flapping', 'warning'] as const)
      .slice()
      .sort((a, b) => healthRank(b) - healthRank(a));
    expect(order).toEqual(['critical', 'flapping', 'warning', 'unknown', 'no-checks', 'passing']);
  });
});
