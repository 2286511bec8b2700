import { describe, expect, it } from 'vitest';
import { CheckMemories } from '../../../electron/health/check-memories.js';
import { applyResult } from '../../../electron/health/check-state-machine.js';
import type { ResultStatus } from '../../../shared/services.js';

const t0 = Date.UTC(2026, 0, 1);
const memoryOf = (status: ResultStatus) =>
  applyResult(
    null,
    { status, output: status, latencyMs: 1, at: t0 },
    { failuresBeforeCritical: 1, successesBeforePassing: 1 },
  );

describe('CheckMemories', () => {
  it('keeps the count of checks in each status as memories change and are forgotten', () => {
    const memories = new CheckMemories();
    memories.set('web', 'http', memoryOf('passing'));
    memories.set('web', 'tcp', memoryOf('passing'));
    memories.set('db', 'tcp', memoryOf('critical'));
    expect(memories.statusCounts()).toEqual({ passing: 2, warning: 0, critical: 1, flapping: 0, unknown: 0 });

    memories.set('web', 'http', memoryOf('warning'));
    expect(memories.statusCounts()).toMatchObject({ passing: 1, warning: 1, critical: 1 });
    expect(memories.get('web', 'http')?.status).toBe('warning');

    expect(memories.retain('web', ['tcp'])).toEqual(['http']);
    expect(memories.get('web', 'http')).toBeUndefined();
    expect(memories.statusCounts()).toMatchObject({ passing: 1, warning: 0, critical: 1 });

    expect(memories.retain('db', [])).toEqual(['tcp']);
    expect(memories.serviceIds()).toEqual(['web']);
    expect(memories.statusCounts()).toEqual({ passing: 1, warning: 0, critical: 0, flapping: 0, unknown: 0 });
  });

  it('hands out a copy of the counts', () => {
    const memories = new CheckMemories();
    memories.statusCounts().passing = 5;
    expect(memories.statusCounts().passing).toBe(0);
  });
});
