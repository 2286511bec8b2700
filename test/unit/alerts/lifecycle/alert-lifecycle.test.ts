import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertEngine } from '../../../../electron/alerts/alert-engine.js';
import { AlertLifecycle } from '../../../../electron/alerts/lifecycle/alert-lifecycle.js';
import { LifecycleAlertsRepository } from '../../../../electron/alerts/lifecycle/lifecycle-alerts-repository.js';
import { openDatabase } from '../../../../electron/store/open-database.js';
import { databaseFileName } from '../../../../electron/store/store.js';
import { MaintenanceWindow, Silence } from '../../../../shared/alert-lifecycle.js';
import { AlertRule, type Alert } from '../../../../shared/alerts.js';
import type { LabelMatcherInput } from '../../../../shared/label-matchers.js';
import type { ResourceSample } from '../../../../shared/node.js';
import { ManualClock } from '../../../support/manual-clock.js';
import { memoryLogger } from '../../../support/test-logger.js';

const start = Date.UTC(2026, 0, 5, 10, 0);
const minute = 60_000;
const opened: Database.Database[] = [];

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

const cpuRule = AlertRule.parse({
  id: 'cpu-high',
  name: 'CPU high',
  severity: 'critical',
  labels: { team: 'core' },
  signal: { kind: 'resource', metric: 'cpu' },
  operator: 'above',
  threshold: 90,
});

const cpuSample = (loadPercent: number): ResourceSample => ({
  sampledAt: start,
  cpu: { loadPercent, cores: 4 },
  memory: { usedBytes: 1, totalBytes: 4 },
  disk: { mount: '/', usedBytes: 1, totalBytes: 4 },
  load: { avg1: 0, avg5: 0, avg15: 0 },
  network: { rxBytesPerSec: 0, txBytesPerSec: 0 },
  disks: [],
});

/** A node with one cpu rule, firing at 97 %: a real engine on a real SQLite file, time in the test's hands. */
function setup() {
  const file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-lifecycle-')), databaseFileName);
  const clock = new ManualClock(start);
  const { db } = openDatabase(file, { now: clock.now() });
  opened.push(db);
  const repository = new LifecycleAlertsRepository(db);
  const { logger } = memoryLogger();
  const world = { cpu: 97 };
  const changes: Alert[] = [];
  const events = {
    publish: (event: { type: string; data: unknown }) => {
      if (event.type === 'alert.changed') changes.push(event.data as Alert);
    },
  };
  const node = { id: 'db-1', labels: { role: 'db' } };
  const engine = new AlertEngine({
    repository,
    clock,
    logger,
    node,
    inputs: {
      resources: () => cpuSample(world.cpu),
      checks: () => [],
      countLogMatches: () => 0,
      checkRuns: () => [],
      taskCounts: () => ({ waiting: 0, dead: 0 }),
    },
    events,
  });
  const lifecycle = new AlertLifecycle({ repository, engine, clock, events, logger, node });
  engine.setConfigRules([cpuRule]);
  engine.evaluate();
  lifecycle.start();
  const alert = repository.list({ state: 'open', limit: 10 })[0];
  if (!alert) throw new Error('the cpu rule did not fire');
  changes.length = 0;
  return { clock, world, engine, lifecycle, repository, alert, changes };
}

const kinds = (lifecycle: AlertLifecycle, id: number) =>
  lifecycle.timeline(id).map(({ kind, actor, detail }) => ({ kind, actor, detail }));

describe('AlertLifecycle: acknowledge', () => {
  it('stores who, when and the note on the open alert and publishes the whole alert', () => {
    const { lifecycle, alert, changes, clock } = setup();
    const acked = lifecycle.acknowledge(alert.id, 'alice', { note: 'looking at the batch job' });

    const ack = { by: 'alice', at: clock.now(), note: 'looking at the batch job', untilMs: null };
    expect(acked).toMatchObject({ id: alert.id, state: 'firing', acknowledged: ack });
    expect(changes).toEqual([acked]);
    expect(lifecycle.timeline(alert.id).at(-1)).toMatchObject({
      kind: 'acknowledged',
      actor: 'alice',
      at: clock.now(),
      detail: 'looking at the batch job',
    });
  });

  it('lapses by itself when its expiry passes, as a timeline entry, and not a moment before', async () => {
    const { lifecycle, repository, alert, changes, clock } = setup();
    lifecycle.acknowledge(alert.id, 'alice', { note: '', untilMs: start + 10 * minute });

    await clock.advance(10 * minute - 1);
    expect(repository.get(alert.id)?.acknowledged).toMatchObject({ by: 'alice' });

    await clock.advance(1);
    expect(repository.get(alert.id)?.acknowledged).toBeNull();
    expect(changes.at(-1)).toMatchObject({ id: alert.id, acknowledged: null, state: 'firing' });
    expect(kinds(lifecycle, alert.id).slice(-2)).toEqual([
      { kind: 'acknowledged', actor: 'alice', detail: '' },
      { kind: 'ackExpired', actor: null, detail: 'acknowledged by alice' },
    ]);
  });

  it('a long expiry lapses on time however many hours away, and an ack replaced by one without expiry stays', async () => {
    const { lifecycle, repository, alert, clock } = setup();
    lifecycle.acknowledge(alert.id, 'alice', { note: '', untilMs: start + 3 * 60 * minute });
    await clock.advance(3 * 60 * minute);
    expect(repository.get(alert.id)?.acknowledged).toBeNull();

    lifecycle.acknowledge(alert.id, 'bob', { note: 'short', untilMs: clock.now() + minute });
    lifecycle.acknowledge(alert.id, 'carol', { note: 'for good' });
    await clock.advance(5 * minute);
    expect(repository.get(alert.id)?.acknowledged).toMatchObject({ by: 'carol', untilMs: null });
  });

  it('refuses an expiry in the past (naming untilMs), a resolved alert and an unknown one', () => {
    const { lifecycle, alert, world, engine, clock } = setup();
    expect(() => lifecycle.acknowledge(alert.id, 'a', { note: '', untilMs: clock.now() })).toThrow(
      expect.objectContaining({
        code: 'invalid_request',
        issues: [{ path: 'untilMs', message: 'must be in the future' }],
      }),
    );
    expect(() => lifecycle.acknowledge(999, 'a', { note: '' })).toThrow(
      expect.objectContaining({ code: 'not_found', message: 'no alert 999 on this node' }),
    );
    world.cpu = 10;
    engine.evaluate();
    expect(() => lifecycle.acknowledge(alert.id, 'a', { note: '' })).toThrow(
      expect.objectContaining({ code: 'conflict' }),
    );
  });

  it('is withdrawn by unacknowledge, naming who withdrew it; unacknowledging an unacknowledged alert changes nothing', () => {
    const { lifecycle, alert, changes } = setup();
    lifecycle.acknowledge(alert.id, 'alice', { note: 'mine' });
    const withdrawn = lifecycle.unacknowledge(alert.id, 'bob');
    expect(withdrawn.acknowledged).toBeNull();
    expect(changes.at(-1)).toEqual(withdrawn);
    expect(kinds(lifecycle, alert.id).at(-1)).toEqual({
      kind: 'unacknowledged',
      actor: 'bob',
      detail: 'acknowledged by alice',
    });

    const before = lifecycle.timeline(alert.id).length;
    expect(lifecycle.unacknowledge(alert.id, 'bob')).toEqual(withdrawn);
    expect(lifecycle.timeline(alert.id)).toHaveLength(before);
  });

  it('stays on the alert when the rule resolves it, and the next evaluations keep it', () => {
    const { lifecycle, repository, engine, world, alert } = setup();
    lifecycle.acknowledge(alert.id, 'alice', { note: 'n' });
    engine.evaluate();
    expect(repository.get(alert.id)?.acknowledged).toMatchObject({ by: 'alice' });
    world.cpu = 10;
    engine.evaluate();
    expect(repository.get(alert.id)).toMatchObject({ state: 'resolved', acknowledged: { by: 'alice' } });
  });
});

describe('AlertLifecycle: resolve by hand', () => {
  it('is refused while the condition holds, naming the current value', () => {
    const { lifecycle, alert, repository } = setup();
    expect(() => lifecycle.resolve(alert.id, 'alice')).toThrow(
      expect.objectContaining({ code: 'conflict', message: expect.stringContaining('cpu 97% > 90%') }),
    );
    expect(repository.get(alert.id)?.state).toBe('firing');
  });

  it('discards a pending alert resolved by hand: it never fired, so it leaves no history', () => {
    const { lifecycle, world, engine, changes, repository } = setup();
    engine.setConfigRules([cpuRule, { ...cpuRule, id: 'cpu-high-long', forSeconds: 600 }]);
    engine.evaluate();
    const pending = repository.list({ state: 'open', ruleId: 'cpu-high-long', limit: 1 })[0]!;
    expect(pending).toMatchObject({ state: 'pending', firingAt: null });

    world.cpu = 50;
    const ended = lifecycle.resolve(pending.id, 'alice');
    expect(ended).toMatchObject({ id: pending.id, state: 'resolved', firingAt: null });
    expect(changes.at(-1)).toEqual(ended);
    expect(repository.get(pending.id)).toBeUndefined();
    expect(repository.list({ state: 'all', ruleId: 'cpu-high-long', limit: 10 })).toEqual([]);
  });

  it('resolves where the condition no longer holds, with who did it, and the rule raises a new alert later', () => {
    const { lifecycle, alert, world, engine, changes, repository } = setup();
    world.cpu = 50;
    const resolved = lifecycle.resolve(alert.id, 'alice');
    expect(resolved).toMatchObject({ id: alert.id, state: 'resolved', summary: 'resolved by hand by alice' });
    expect(changes.at(-1)).toMatchObject({ id: alert.id, state: 'resolved' });
    expect(kinds(lifecycle, alert.id).at(-1)).toEqual({
      kind: 'manuallyResolved',
      actor: 'alice',
      detail: 'resolved by hand by alice',
    });
    expect(() => lifecycle.resolve(alert.id, 'alice')).toThrow(expect.objectContaining({ code: 'conflict' }));

    engine.evaluate();
    expect(repository.list({ state: 'open', limit: 10 })).toEqual([]);
    world.cpu = 99;
    engine.evaluate();
    expect(repository.list({ state: 'open', limit: 10 })).toEqual([
      expect.objectContaining({ ruleId: 'cpu-high', state: 'firing', acknowledged: null }),
    ]);
    expect(repository.list({ state: 'open', limit: 10 })[0]?.id).not.toBe(alert.id);
  });
});

describe('AlertLifecycle: timeline', () => {
  it('lists every change in the order it happened, even when the wall clock stepped back', async () => {
    const { lifecycle, alert, world, engine, clock } = setup();
    await clock.advance(minute);
    lifecycle.acknowledge(alert.id, 'alice', { note: 'on it', untilMs: clock.now() + minute });
    await clock.advance(minute);
    clock.stepWall(-10 * minute);
    lifecycle.acknowledge(alert.id, 'bob', { note: 'taking over' });
    lifecycle.unacknowledge(alert.id, 'bob');
    world.cpu = 10;
    engine.evaluate();

    expect(kinds(lifecycle, alert.id)).toEqual([
      { kind: 'firing', actor: null, detail: 'cpu 97% > 90%' },
      { kind: 'acknowledged', actor: 'alice', detail: 'on it' },
      { kind: 'ackExpired', actor: null, detail: 'acknowledged by alice' },
      { kind: 'acknowledged', actor: 'bob', detail: 'taking over' },
      { kind: 'unacknowledged', actor: 'bob', detail: 'acknowledged by bob' },
      { kind: 'resolved', actor: null, detail: expect.stringContaining('cpu 10%') },
    ]);
    const ats = lifecycle.timeline(alert.id).map((entry) => entry.at);
    expect(ats.slice(0, 3)).toEqual([start, start + minute, start + 2 * minute]);
  });

  it('goes with its alert when the resolved alert is pruned', async () => {
    const { lifecycle, repository, alert, world, engine, clock } = setup();
    lifecycle.acknowledge(alert.id, 'alice', { note: 'n' });
    world.cpu = 10;
    engine.evaluate();
    expect(lifecycle.timeline(alert.id)).toHaveLength(3);
    await clock.advance(2 * minute);
    expect(engine.prune(clock.now(), minute)).toBe(1);
    expect(() => lifecycle.timeline(alert.id)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(repository.timeline(alert.id)).toEqual([]);
  });

  it('is refused for an alert this node does not have', () => {
    const { lifecycle } = setup();
    expect(() => lifecycle.timeline(4242)).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});

describe('AlertLifecycle: silences', () => {
  const silence = (matchers: LabelMatcherInput[], startsAt = start, endsAt = start + 60 * minute) =>
    Silence.parse({ id: 'quiet-db', matchers, startsAt, endsAt, createdBy: 'ops' });

  it('marks the open alerts a silence matches (on node labels, rule labels, node, rule, severity) while in force', async () => {
    const { lifecycle, repository, alert, clock } = setup();
    lifecycle.silences.applyFleet(
      silence([
        { name: 'role', value: 'db' },
        { name: 'team', value: 'core' },
        { name: 'node', value: 'db-1' },
        { name: 'rule', value: 'cpu-high' },
        { name: 'severity', value: 'critical' },
      ]),
    );
    expect(repository.list({ state: 'open', limit: 10 })).toEqual([expect.objectContaining({ silenced: true })]);
    expect(lifecycle.verdict(alert)).toEqual({ silenced: true, by: 'silence quiet-db' });

    await clock.advance(60 * minute);
    expect(repository.list({ state: 'open', limit: 10 })).toEqual([expect.objectContaining({ silenced: false })]);
  });

  it('does not mark what one matcher rules out, nor a resolved alert', () => {
    const { lifecycle, repository, world, engine } = setup();
    lifecycle.silences.applyFleet(silence([{ name: 'node', value: 'web-1' }]));
    expect(repository.list({ state: 'open', limit: 10 })[0]?.silenced).toBe(false);
    lifecycle.silences.applyFleet(silence([{ name: 'node', value: 'db-1' }]));
    world.cpu = 10;
    engine.evaluate();
    expect(repository.list({ state: 'all', limit: 10 })[0]).toMatchObject({ state: 'resolved', silenced: false });
  });

  it('previews the open alerts a draft would silence, before it is saved', () => {
    const { lifecycle, alert } = setup();
    expect(lifecycle.preview([{ name: 'team', op: '=~', value: 'co.*' }]).map((a) => a.id)).toEqual([alert.id]);
    expect(lifecycle.preview([{ name: 'team', op: '!=', value: 'core' }])).toEqual([]);
    expect(() => lifecycle.preview([{ name: 'team', op: '=~', value: '[' }])).toThrow(
      expect.objectContaining({
        code: 'invalid_request',
        issues: [expect.objectContaining({ path: 'matchers[0].value' })],
      }),
    );
  });

  it('a recurring maintenance window silences while it is open', async () => {
    const { lifecycle, alert, clock } = setup();
    // Every day at 10:30 UTC for 15 minutes; the test starts at 10:00.
    lifecycle.windows.applyFleet(
      MaintenanceWindow.parse({
        id: 'db-patching',
        name: 'DB patching',
        matchers: [{ name: 'role', value: 'db' }],
        schedule: { kind: 'recurring', cron: '30 10 * * *', durationMinutes: 15 },
      }),
    );
    expect(lifecycle.verdict(alert).silenced).toBe(false);
    await clock.advance(30 * minute);
    expect(lifecycle.verdict(alert)).toEqual({ silenced: true, by: 'maintenance window db-patching' });
    await clock.advance(15 * minute);
    expect(lifecycle.verdict(alert).silenced).toBe(false);
  });
});
