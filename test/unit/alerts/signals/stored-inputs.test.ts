import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluateCondition, type ConditionInputs } from '../../../../electron/alerts/evaluate-condition.js';
import { storedInputs } from '../../../../electron/alerts/signals/stored-inputs.js';
import { CheckHistoryRepository } from '../../../../electron/store/check-history-repository.js';
import { LogMatchesRepository } from '../../../../electron/store/log-matches-repository.js';
import { Store } from '../../../../electron/store/store.js';
import { TaskRepository } from '../../../../electron/tasks/task-repository.js';
import type { AlertSignal } from '../../../../shared/alert-signals.js';
import { AgentConfig } from '../../../../shared/config.js';
import { TaskSubmit } from '../../../../shared/tasks.js';
import { ManualClock } from '../../../support/manual-clock.js';

const start = Date.UTC(2026, 0, 1, 12);
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function setup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetdeck-signals-'));
  const clock = new ManualClock(start);
  const store = Store.open(dataDir, { now: clock.now() });
  stores.push(store);
  const config = AgentConfig.parse({ name: 'node-a', dataDir });
  const { inputs } = storedInputs({ store, clock, config, random: () => 0.5 });
  const unused = () => {
    throw new Error('not read by these signals');
  };
  const all: ConditionInputs = { resources: unused, checks: unused, countLogMatches: unused, ...inputs };
  const judge = (signal: AlertSignal, threshold = 0, live: Partial<ConditionInputs> = {}) =>
    evaluateCondition({ signal, operator: 'above', threshold }, { ...all, ...live }, clock.now());
  return { store, clock, judge };
}

describe('signals read from the node’s own SQLite', () => {
  it('check latency and error rate over the window, from stored check results', () => {
    const { store, clock, judge } = setup();
    const history = store.repository((db) => new CheckHistoryRepository(db));
    const run = (serviceId: string, check: string, ago: number, status: 'passing' | 'critical', latencyMs: number) =>
      history.record(serviceId, check, { at: clock.now() - ago, status, latencyMs, output: '' });
    run('web', 'http', 10_000, 'passing', 100);
    run('web', 'http', 20_000, 'critical', 300);
    run('web', 'tls', 30_000, 'passing', 50);
    run('web', 'tls', 40_000, 'passing', 50);
    run('db', 'tcp', 15_000, 'passing', 900);
    // Outside a 60 s window: neither slow nor failed runs there count.
    run('db', 'tcp', 120_000, 'critical', 5_000);
    history.flush();

    const latency = judge({ kind: 'checkLatency', serviceIds: [], windowSeconds: 60 }, 500);
    expect(latency).toMatchObject({ holds: true, value: 900, summary: 'latency over 60 s 900 ms > 500 ms: db/tcp' });
    expect(judge({ kind: 'checkLatency', serviceIds: ['web'], windowSeconds: 60 }).value).toBe(200);
    expect(judge({ kind: 'checkLatency', serviceIds: [], check: 'tls', windowSeconds: 60 }).value).toBe(50);
    expect(judge({ kind: 'checkLatency', serviceIds: [], windowSeconds: 300 }).value).toBe(2950);

    const errors = judge({ kind: 'errorRate', serviceIds: [], windowSeconds: 60 }, 20);
    expect(errors).toMatchObject({ holds: true, value: 25, summary: 'error rate over 60 s 25% > 20%: web' });
    expect(judge({ kind: 'errorRate', serviceIds: ['db'], windowSeconds: 60 }).value).toBe(0);
    expect(judge({ kind: 'errorRate', serviceIds: ['db'], windowSeconds: 300 }).value).toBe(50);
    expect(judge({ kind: 'errorRate', serviceIds: ['none'], windowSeconds: 60 })).toMatchObject({
      value: null,
      summary: 'error rate over 60 s: no check ran in the window',
    });
  });

  it('task queue depth and dead tasks, from the task repository', () => {
    const { store, clock, judge } = setup();
    const tasks = store.repository((db) => new TaskRepository(db, { random: () => 0.5, maxLogLines: 10 }));
    const submit = (id: string, maxAttempts: number) =>
      tasks.enqueue(TaskSubmit.parse({ type: 'noop', maxAttempts }), id, clock.now());
    submit('t1', 1);
    submit('t2', 1);
    submit('t3', 3);
    expect(judge({ kind: 'taskQueue', measure: 'waiting' }, 2)).toMatchObject({ holds: true, value: 3 });
    expect(judge({ kind: 'taskQueue', measure: 'dead' }).value).toBe(0);

    const claimed = tasks.claim({ owner: 'w', node: 'node-a', now: clock.now(), leaseMs: 60_000, limit: 2 });
    for (const task of claimed) tasks.fail(task.id, 'boom', { owner: 'w', now: clock.now(), durationMs: 5 });
    expect(judge({ kind: 'taskQueue', measure: 'dead' })).toMatchObject({ value: 2, summary: '2 dead tasks > 0' });
    expect(judge({ kind: 'taskQueue', measure: 'waiting' }).value).toBe(1);
  });

  it('log pattern matches within the window, from stored matches', () => {
    const { store, clock, judge } = setup();
    const matches = store.repository((db) => new LogMatchesRepository(db));
    matches.insertMany(
      [10_000, 20_000, 90_000].map((ago) => ({ patternId: 'oom', source: 'app', line: 'oom', at: clock.now() - ago })),
      100,
    );
    const judged = judge({ kind: 'logPattern', patternId: 'oom', windowSeconds: 60 }, 1, {
      countLogMatches: (id, since) => matches.countSince(id, since),
    });
    expect(judged).toMatchObject({ holds: true, value: 2, summary: '2 matches of oom in 60 s > 1' });
  });
});
