import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertEngine } from '../../../electron/alerts/alert-engine.js';
import type { CheckReading, CheckRunStats } from '../../../electron/alerts/evaluate-condition.js';
import { CodedError } from '../../../electron/core/coded-error.js';
import { createAgentMetrics } from '../../../electron/metrics/agent-metrics.js';
import { AlertsRepository } from '../../../electron/store/alerts-repository.js';
import { openDatabase } from '../../../electron/store/open-database.js';
import { databaseFileName } from '../../../electron/store/store.js';
import { AlertRule, type Alert, type AlertRuleInput } from '../../../shared/alerts.js';
import type { ResourceSample } from '../../../shared/node.js';
import { ManualClock } from '../../support/manual-clock.js';
import { memoryLogger } from '../../support/test-logger.js';

const start = Date.UTC(2026, 0, 1);
const opened: Database.Database[] = [];

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

/**
 * Most rules here are written in the old condition shape (`condition: {kind: 'resource', metric, abovePercent}`),
 * as config files and etcd still hold them: they load through the conversion and must behave as before.
 */
type RuleFields = { id: string } & Record<string, unknown>;
const rule = (input: RuleFields): AlertRule =>
  AlertRule.parse({
    name: `Rule ${input.id}`,
    condition: { kind: 'resource', metric: 'cpu', abovePercent: 90 },
    ...input,
  });
const cpuRule = (id: string, extra: Record<string, unknown> = {}) => rule({ id, ...extra });
const checkRule = (id: string, extra: Record<string, unknown> = {}) =>
  rule({ id, condition: { kind: 'check', status: 'critical' }, severity: 'critical', ...extra });
/** A rule in today's shape. */
const signalRule = (id: string, fields: Partial<AlertRuleInput>): AlertRule =>
  AlertRule.parse({ id, name: `Rule ${id}`, signal: { kind: 'resource', metric: 'cpu' }, threshold: 90, ...fields });

const cpuSample = (loadPercent: number): ResourceSample => ({
  sampledAt: start,
  cpu: { loadPercent, cores: 4 },
  memory: { usedBytes: 1, totalBytes: 4 },
  disk: { mount: '/', usedBytes: 1, totalBytes: 4 },
  load: { avg1: 0, avg5: 0, avg15: 0 },
  network: { rxBytesPerSec: 0, txBytesPerSec: 0 },
  disks: [],
});

/** What the engine reads, set by each test; an error in `fail` makes that input throw it. */
interface World {
  sample: ResourceSample | null;
  checks: CheckReading[];
  matches: Record<string, number>;
  runs: CheckRunStats[];
  tasks: { waiting: number; dead: number };
  fail: { resources?: Error; checks?: Error };
}

function setup(
  file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-alert-engine-')), databaseFileName),
  clock = new ManualClock(start),
) {
  const { db } = openDatabase(file, { now: clock.now() });
  opened.push(db);
  const repository = new AlertsRepository(db);
  const { logger, lines } = memoryLogger();
  const metrics = createAgentMetrics('0.0.0-test');
  const world: World = {
    sample: cpuSample(97),
    checks: [],
    matches: {},
    runs: [],
    tasks: { waiting: 0, dead: 0 },
    fail: {},
  };
  const changes: Alert[] = [];
  const engine = new AlertEngine({
    repository,
    clock,
    logger,
    inputs: {
      resources: () => {
        if (world.fail.resources) throw world.fail.resources;
        return world.sample;
      },
      checks: () => {
        if (world.fail.checks) throw world.fail.checks;
        return world.checks;
      },
      countLogMatches: (patternId) => world.matches[patternId] ?? 0,
      checkRuns: () => world.runs,
      taskCounts: () => world.tasks,
    },
    metrics: { firing: metrics.alertsFiring, transitions: metrics.alertTransitions },
    events: {
      publish: (event) => {
        if (event.type === 'alert.changed') changes.push(event.data);
      },
    },
    node: { id: 'node-a', labels: { zone: 'eu-1' } },
  });
  return { db, file, clock, engine, repository, world, changes, lines, metrics };
}

/** The same data dir opened again, as after an agent restart. */
function restart(previous: ReturnType<typeof setup>) {
  previous.engine.stop();
  previous.db.close();
  return setup(previous.file, previous.clock);
}

const states = (changes: Alert[]) => changes.map((alert) => [alert.id, alert.state]);
const stateOf = (engine: AlertEngine, id: string) => engine.rules().find((r) => r.rule.id === id)?.state;

describe('AlertEngine: the state machine', () => {
  it('fires on the first evaluation with forSeconds 0, once, and says so in the log', () => {
    const { engine, clock, world, changes, lines } = setup();
    engine.setConfigRules([cpuRule('cpu-high')]);
    engine.evaluate();
    engine.evaluate();

    expect(changes).toEqual([
      {
        id: expect.any(Number),
        ruleId: 'cpu-high',
        ruleName: 'Rule cpu-high',
        severity: 'warning',
        labels: {},
        state: 'firing',
        value: 97,
        firingValue: 97,
        summary: 'cpu 97% > 90%',
        description: '',
        startedAt: clock.now(),
        firingAt: clock.now(),
        resolvedAt: null,
        acknowledged: null,
        silenced: false,
      },
    ]);
    expect(engine.rules()).toEqual([
      {
        rule: cpuRule('cpu-high'),
        source: 'config',
        state: 'firing',
        value: 97,
        lastEvaluatedAt: clock.now(),
      },
    ]);
    expect(lines.filter((line) => line.channel === 'log')).toEqual([
      expect.objectContaining({
        level: 40,
        ruleId: 'cpu-high',
        severity: 'warning',
        summary: 'cpu 97% > 90%',
        msg: 'alert cpu-high firing (warning): cpu 97% > 90%',
      }),
    ]);

    world.sample = cpuSample(45);
    engine.evaluate();
    expect(changes[1]).toMatchObject({ id: changes[0]!.id, state: 'resolved', value: 45, summary: 'cpu 45% ≤ 90%' });
    expect(lines.filter((line) => line.channel === 'log').at(-1)).toMatchObject({
      level: 30,
      ruleId: 'cpu-high',
      severity: 'warning',
      summary: 'cpu 45% ≤ 90%',
    });
  });

  it('stays pending until the condition has held for forSeconds exactly, keeping one alert', async () => {
    const { engine, clock, changes } = setup();
    engine.setConfigRules([cpuRule('cpu-high', { forSeconds: 10 })]);

    engine.evaluate();
    const startedAt = clock.now();
    expect(states(changes)).toEqual([[changes[0]!.id, 'pending']]);
    expect(stateOf(engine, 'cpu-high')).toBe('pending');

    await clock.advance(9_999);
    engine.evaluate();
    expect(changes).toHaveLength(1);
    expect(engine.alerts({ state: 'open', limit: 10 })).toMatchObject([{ state: 'pending', firingAt: null }]);

    await clock.advance(1);
    engine.evaluate();
    expect(states(changes)).toEqual([
      [changes[0]!.id, 'pending'],
      [changes[0]!.id, 'firing'],
    ]);
    expect(changes[1]).toMatchObject({ startedAt, firingAt: startedAt + 10_000, resolvedAt: null });
    expect(engine.alerts({ state: 'all', limit: 10 })).toEqual([changes[1]]);
  });

  it('evaluates every intervalMs once started, and not after stop', async () => {
    const { engine, clock, changes } = setup();
    engine.setConfigRules([cpuRule('cpu-high', { forSeconds: 10 })]);
    engine.start();
    engine.start(); // a second start is harmless

    await clock.advance(5_000);
    expect(changes.map((alert) => alert.state)).toEqual(['pending']);
    await clock.advance(5_000);
    expect(changes.map((alert) => alert.state)).toEqual(['pending']);
    await clock.advance(5_000);
    expect(changes.map((alert) => alert.state)).toEqual(['pending', 'firing']);
    expect(changes[1]!.firingAt! - changes[1]!.startedAt).toBe(10_000);

    engine.stop();
    const evaluatedAt = engine.rules()[0]!.lastEvaluatedAt;
    await clock.advance(60_000);
    expect(engine.rules()[0]!.lastEvaluatedAt).toBe(evaluatedAt);
  });

  it('drops a pending alert that clears without ever firing: no history, no resolved transition', async () => {
    const { engine, clock, world, changes, metrics, lines } = setup();
    engine.setConfigRules([cpuRule('cpu-high', { forSeconds: 60 })]);
    engine.evaluate();
    await clock.advance(30_000);
    world.sample = cpuSample(50);
    engine.evaluate();
    await clock.advance(60_000);
    engine.evaluate();

    // Listeners hear it ended (resolved, never fired), so open lists drop it; the history never had it.
    expect(changes.map((alert) => alert.state)).toEqual(['pending', 'resolved']);
    expect(changes[1]).toMatchObject({ firingAt: null, resolvedAt: start + 30_000, summary: 'cpu 50% ≤ 90%' });
    expect(engine.alerts({ state: 'all', limit: 10 })).toEqual([]);
    expect(engine.openCounts()).toEqual({ info: 0, warning: 0, critical: 0, emergency: 0 });
    expect(stateOf(engine, 'cpu-high')).toBe('inactive');
    const text = await metrics.registry.metrics();
    expect(text).not.toMatch(/state="resolved"/);
    expect(text).not.toMatch(/state="firing"/);
    expect(lines.filter((line) => line.channel === 'log').map((line) => line.msg)).toEqual([
      'alert cpu-high pending (warning): cpu 97% > 90%',
    ]);
  });

  it('keeps the value that fired an alert once it resolves, beside the value it resolved at', async () => {
    const { engine, clock, world, changes } = setup();
    engine.setConfigRules([cpuRule('cpu-high', { forSeconds: 10 })]);
    engine.evaluate(); // pending at 97
    await clock.advance(10_000);
    world.sample = cpuSample(93);
    engine.evaluate(); // fires at 93
    await clock.advance(5_000);
    world.sample = cpuSample(99);
    engine.evaluate(); // still firing: nothing stored
    await clock.advance(5_000);
    world.sample = cpuSample(40);
    engine.evaluate(); // resolves at 40

    expect(changes.map((alert) => [alert.state, alert.value, alert.firingValue])).toEqual([
      ['pending', 97, null],
      ['firing', 93, 93],
      ['resolved', 40, 93],
    ]);
    expect(engine.alerts({ state: 'all', limit: 10 })).toMatchObject([
      { state: 'resolved', value: 40, firingValue: 93 },
    ]);
  });

  it('raises a new alert when the condition holds again after it resolved', () => {
    const { engine, world, changes } = setup();
    engine.setConfigRules([cpuRule('cpu-high')]);
    engine.evaluate();
    world.sample = cpuSample(10);
    engine.evaluate();
    world.sample = cpuSample(99);
    engine.evaluate();

    const [first, , second] = changes;
    expect(states(changes)).toEqual([
      [first!.id, 'firing'],
      [first!.id, 'resolved'],
      [second!.id, 'firing'],
    ]);
    expect(second!.id).not.toBe(first!.id);
    expect(engine.alerts({ state: 'all', limit: 10 }).map((alert) => alert.state)).toEqual(['firing', 'resolved']);
  });

  it('evaluates log pattern and check conditions with the time window ending now', () => {
    const { engine, world, changes } = setup();
    engine.setConfigRules([
      rule({ id: 'timeouts', condition: { kind: 'logPattern', patternId: 'upstream-timeout', atLeast: 5 } }),
      checkRule('checks-down'),
    ]);
    world.matches['upstream-timeout'] = 12;
    world.checks = [
      { serviceId: 'web', check: 'http', status: 'critical' },
      { serviceId: 'db', check: 'tcp', status: 'critical' },
    ];
    engine.evaluate();
    expect(changes.map((alert) => [alert.ruleId, alert.summary])).toEqual([
      ['checks-down', '2 checks critical > 0: web/http, db/tcp'],
      ['timeouts', '12 matches of upstream-timeout in 300 s > 4'],
    ]);
  });
});

describe('AlertEngine: rules that change', () => {
  it('closes the open alert of a rule that is disabled, saying why', () => {
    const { engine, changes } = setup();
    engine.setConfigRules([cpuRule('cpu-high')]);
    engine.evaluate();
    engine.setConfigRules([cpuRule('cpu-high', { enabled: false })]);

    expect(changes.at(-1)).toMatchObject({ state: 'resolved', summary: 'rule disabled', value: 97 });
    expect(engine.rules()[0]).toMatchObject({ state: 'inactive', value: null, lastEvaluatedAt: null });
    engine.evaluate();
    expect(changes).toHaveLength(2);
  });

  it('closes the open alert of a fleet rule that is withdrawn', () => {
    const { engine, changes } = setup();
    expect(engine.applyFleet(cpuRule('fleet-cpu'))).toBe(true);
    expect(engine.applyFleet(cpuRule('fleet-cpu'))).toBe(false);
    expect(engine.fleetIds()).toEqual(['fleet-cpu']);
    engine.evaluate();
    expect(engine.withdrawFleet('fleet-cpu')).toBe(true);
    expect(engine.withdrawFleet('fleet-cpu')).toBe(false);

    expect(changes.map((alert) => [alert.state, alert.summary])).toEqual([
      ['firing', 'cpu 97% > 90%'],
      ['resolved', 'rule withdrawn from the fleet'],
    ]);
    expect(engine.fleetIds()).toEqual([]);
    expect(engine.rules()).toEqual([]);
  });

  it('closes the open alert when a rule gets another condition or severity, and keeps it for a new name', () => {
    const { engine, changes } = setup();
    engine.applyFleet(cpuRule('fleet-cpu'));
    engine.evaluate();
    const id = changes[0]!.id;

    engine.applyFleet(cpuRule('fleet-cpu', { name: 'CPU busy', forSeconds: 30 }));
    expect(changes).toHaveLength(1);
    engine.applyFleet(cpuRule('fleet-cpu', { condition: { kind: 'resource', metric: 'cpu', abovePercent: 80 } }));
    expect(changes[1]).toMatchObject({ id, state: 'resolved', summary: 'rule condition changed' });

    engine.evaluate();
    expect(changes[2]).toMatchObject({ state: 'firing', summary: 'cpu 97% > 80%' });
    engine.applyFleet(
      cpuRule('fleet-cpu', { severity: 'critical', condition: { kind: 'resource', metric: 'cpu', abovePercent: 80 } }),
    );
    expect(changes[3]).toMatchObject({
      id: changes[2]!.id,
      state: 'resolved',
      summary: 'rule severity changed to critical',
    });
    engine.evaluate();
    expect(changes[4]).toMatchObject({ state: 'firing', severity: 'critical' });
  });

  it('refuses a fleet rule with the id of a config rule, and drops a fleet rule the config takes over', () => {
    const { engine } = setup();
    engine.setConfigRules([cpuRule('cpu-high')]);
    let refusal: unknown;
    try {
      engine.applyFleet(cpuRule('cpu-high', { severity: 'critical' }));
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(CodedError);
    expect(refusal).toMatchObject({ code: 'conflict', message: expect.stringContaining('"cpu-high"') });
    expect(engine.rules()).toMatchObject([{ source: 'config', rule: { severity: 'warning' } }]);

    engine.applyFleet(cpuRule('fleet-cpu'));
    engine.setConfigRules([cpuRule('cpu-high'), cpuRule('fleet-cpu', { name: 'Mine' })]);
    expect(engine.fleetIds()).toEqual([]);
    expect(engine.rules().map((r) => [r.rule.id, r.source, r.rule.name])).toEqual([
      ['cpu-high', 'config', 'Rule cpu-high'],
      ['fleet-cpu', 'config', 'Mine'],
    ]);
  });

  it("closes the open alert of a rule removed from the node's config", () => {
    const { engine, changes } = setup();
    engine.setConfigRules([cpuRule('cpu-high'), cpuRule('cpu-other')]);
    engine.evaluate();
    engine.setConfigRules([cpuRule('cpu-other')]);
    expect(changes.at(-1)).toMatchObject({
      ruleId: 'cpu-high',
      state: 'resolved',
      summary: "rule removed from this node's config",
    });
    expect(engine.alerts({ state: 'open', limit: 10 }).map((alert) => alert.ruleId)).toEqual(['cpu-other']);
  });
});

describe('AlertEngine: across a restart', () => {
  it('keeps a still-firing alert as it was: same id, same firing time, no duplicate', async () => {
    const first = setup();
    first.engine.setConfigRules([cpuRule('cpu-high', { forSeconds: 10 })]);
    first.engine.evaluate();
    await first.clock.advance(10_000);
    first.engine.evaluate();
    const firing = first.changes.at(-1)!;
    expect(firing.state).toBe('firing');

    await first.clock.advance(60_000);
    const second = restart(first);
    second.engine.setConfigRules([cpuRule('cpu-high', { forSeconds: 10 })]);
    expect(stateOf(second.engine, 'cpu-high')).toBe('firing');
    expect(second.engine.openCounts()).toEqual({ info: 0, warning: 1, critical: 0, emergency: 0 });
    second.engine.start();
    second.engine.evaluate();

    expect(second.changes).toEqual([]);
    expect(second.engine.alerts({ state: 'all', limit: 10 })).toEqual([firing]);
  });

  it('keeps an open alert while there is no sample yet, and resolves it on the first evaluation that says so', () => {
    const first = setup();
    first.engine.setConfigRules([cpuRule('cpu-high')]);
    first.engine.evaluate();

    const second = restart(first);
    second.engine.setConfigRules([cpuRule('cpu-high')]);
    second.world.sample = null;
    second.engine.evaluate();
    expect(second.changes).toEqual([]);
    expect(second.engine.rules()[0]).toMatchObject({ state: 'firing', value: null });

    second.world.sample = cpuSample(20);
    second.engine.evaluate();
    expect(second.changes).toEqual([
      expect.objectContaining({ id: first.changes[0]!.id, state: 'resolved', summary: 'cpu 20% ≤ 90%' }),
    ]);
    expect(second.engine.alerts({ state: 'open', limit: 10 })).toEqual([]);
  });

  it('resolves on start an open alert whose rule is no longer in force, or now disabled', () => {
    const first = setup();
    first.engine.setConfigRules([cpuRule('cpu-gone'), cpuRule('cpu-off'), cpuRule('cpu-kept')]);
    first.engine.evaluate();

    const second = restart(first);
    second.engine.setConfigRules([cpuRule('cpu-off', { enabled: false }), cpuRule('cpu-kept')]);
    expect(second.changes.map((alert) => [alert.ruleId, alert.summary])).toEqual([['cpu-off', 'rule disabled']]);
    second.engine.start();
    expect(second.changes.map((alert) => [alert.ruleId, alert.state, alert.summary])).toEqual([
      ['cpu-off', 'resolved', 'rule disabled'],
      ['cpu-gone', 'resolved', 'rule no longer in force on this node'],
    ]);
    expect(second.engine.alerts({ state: 'open', limit: 10 }).map((alert) => alert.ruleId)).toEqual(['cpu-kept']);
  });
});

describe('AlertEngine: failures', () => {
  it('skips a rule whose input throws, logs it once, and still evaluates the others', () => {
    const { engine, world, changes, lines } = setup();
    engine.setConfigRules([cpuRule('cpu-high'), checkRule('checks-down')]);
    engine.evaluate();
    expect(changes.map((alert) => alert.ruleId)).toEqual(['cpu-high']);

    world.fail.resources = new Error('probe crashed');
    world.checks = [{ serviceId: 'web', check: 'http', status: 'critical' }];
    engine.evaluate();
    engine.evaluate();

    expect(changes.map((alert) => [alert.ruleId, alert.state])).toEqual([
      ['cpu-high', 'firing'],
      ['checks-down', 'firing'],
    ]);
    expect(lines.filter((line) => line.ruleId === 'cpu-high' && line.err === 'probe crashed')).toHaveLength(1);
    expect(stateOf(engine, 'cpu-high')).toBe('firing');

    delete world.fail.resources;
    world.sample = cpuSample(5);
    engine.evaluate();
    expect(changes.at(-1)).toMatchObject({ ruleId: 'cpu-high', state: 'resolved' });
    expect(lines.some((line) => line.ruleId === 'cpu-high' && line.msg === 'alert rule evaluates again')).toBe(true);
  });

  it('a failing listener does not lose the transition', () => {
    const { db, clock } = setup();
    const repository = new AlertsRepository(db);
    const { logger, lines } = memoryLogger();
    const engine = new AlertEngine({
      repository,
      clock,
      logger,
      inputs: {
        resources: () => cpuSample(99),
        checks: () => [],
        countLogMatches: () => 0,
        checkRuns: () => [],
        taskCounts: () => ({ waiting: 0, dead: 0 }),
      },
      events: {
        publish: () => {
          throw new Error('listener broke');
        },
      },
      node: { id: 'node-a', labels: {} },
    });
    engine.setConfigRules([cpuRule('cpu-high')]);
    engine.evaluate();
    expect(engine.openCounts().warning).toBe(1);
    expect(repository.open()).toHaveLength(1);
    expect(lines.some((line) => line.msg === 'an alert listener failed')).toBe(true);
  });

  it('a failed write changes nothing and is tried again on the next evaluation', () => {
    const { engine, repository, changes, lines } = setup();
    engine.setConfigRules([cpuRule('cpu-high')]);
    const save = repository.save.bind(repository);
    let broken = true;
    repository.save = (write) => {
      if (broken) throw new Error('disk I/O error');
      return save(write);
    };
    engine.evaluate();
    expect(changes).toEqual([]);
    expect(engine.openCounts().warning).toBe(0);
    expect(lines.some((line) => line.err === 'disk I/O error')).toBe(true);

    broken = false;
    engine.evaluate();
    expect(changes.map((alert) => alert.state)).toEqual(['firing']);
  });
});

describe('AlertEngine: counts, listing, pruning, metrics', () => {
  it('counts firing alerts by severity, not pending ones', async () => {
    const { engine, world, metrics } = setup();
    world.checks = [{ serviceId: 'web', check: 'http', status: 'critical' }];
    engine.setConfigRules([
      cpuRule('cpu-high'),
      cpuRule('cpu-info', { severity: 'info' }),
      cpuRule('cpu-slow', { severity: 'critical', forSeconds: 60 }),
      checkRule('checks-down'),
    ]);
    engine.evaluate();
    expect(engine.openCounts()).toEqual({ info: 1, warning: 1, critical: 1, emergency: 0 });
    expect(stateOf(engine, 'cpu-slow')).toBe('pending');

    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^fleetdeck_alerts_firing\{severity="critical"\} 1$/m);
    expect(text).toMatch(/^fleetdeck_alert_transitions_total\{severity="critical",state="pending"\} 1$/m);
    expect(text).toMatch(/^fleetdeck_alert_transitions_total\{severity="warning",state="firing"\} 1$/m);
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (promtool.error) throw new Error(`promtool is missing (${promtool.error.message}): apt-get install prometheus`);
    expect(promtool.stderr + promtool.stdout).toBe('');

    world.sample = cpuSample(1);
    engine.evaluate();
    expect(engine.openCounts()).toEqual({ info: 0, warning: 0, critical: 1, emergency: 0 });
    expect(await metrics.registry.metrics()).toMatch(/^fleetdeck_alerts_firing\{severity="warning"\} 0$/m);
  });

  it('lists open alerts or the history, newest first, filtered by rule and limited', async () => {
    const { engine, clock, world } = setup();
    engine.setConfigRules([cpuRule('a'), cpuRule('b', { forSeconds: 60 })]);
    engine.evaluate(); // a fires, b pending
    await clock.advance(1_000);
    world.sample = cpuSample(1);
    engine.evaluate(); // both resolve
    await clock.advance(1_000);
    world.sample = cpuSample(99);
    engine.evaluate(); // a fires again, b pending again

    const all = engine.alerts({ state: 'all', limit: 10 });
    // b's first alert never fired: it left no history.
    expect(all.map((alert) => [alert.ruleId, alert.state])).toEqual([
      ['b', 'pending'],
      ['a', 'firing'],
      ['a', 'resolved'],
    ]);
    expect(engine.alerts({ state: 'open', limit: 10 }).map((alert) => alert.ruleId)).toEqual(['b', 'a']);
    expect(engine.alerts({ state: 'all', ruleId: 'a', limit: 10 }).map((alert) => alert.state)).toEqual([
      'firing',
      'resolved',
    ]);
    expect(engine.alerts({ state: 'all', limit: 2 })).toEqual(all.slice(0, 2));
    expect(engine.alerts({ state: 'all', limit: 2, beforeId: all[1]!.id })).toEqual(all.slice(2));
  });

  it('prunes resolved alerts past the retention and keeps open ones however old', async () => {
    const { engine, clock, world } = setup();
    engine.setConfigRules([cpuRule('a'), cpuRule('b')]);
    engine.evaluate();
    engine.setConfigRules([cpuRule('a'), cpuRule('b', { enabled: false })]); // b resolved now
    await clock.advance(10 * 86_400_000);
    world.sample = cpuSample(99);
    engine.evaluate();

    expect(engine.prune(clock.now(), 86_400_000)).toBe(1);
    expect(engine.alerts({ state: 'all', limit: 10 }).map((alert) => [alert.ruleId, alert.state])).toEqual([
      ['a', 'firing'],
    ]);
    expect(engine.prune(clock.now(), 0)).toBe(0);
  });
});

describe('AlertEngine: rules on signals', () => {
  const cpu = (world: World, loadPercent: number) => {
    world.sample = cpuSample(loadPercent);
  };

  it('hysteresis: once firing, a value between the clear threshold and the threshold keeps it firing', async () => {
    const { engine, clock, world, changes } = setup();
    engine.setConfigRules([signalRule('cpu', { threshold: 90, clearThreshold: 80 })]);
    const walk = async (values: number[]) => {
      for (const value of values) {
        cpu(world, value);
        engine.evaluate();
        await clock.advance(5_000);
      }
    };
    await walk([85]);
    expect(changes).toEqual([]);
    await walk([95, 89, 85, 81]);
    expect(states(changes)).toEqual([[changes[0]!.id, 'firing']]);
    expect(changes[0]!.summary).toBe('cpu 95% > 90%');
    expect(engine.rules()[0]).toMatchObject({ state: 'firing', value: 81 });
    await walk([80]);
    expect(states(changes)).toEqual([
      [changes[0]!.id, 'firing'],
      [changes[0]!.id, 'resolved'],
    ]);
    expect(changes[1]!.summary).toBe('cpu 80% ≤ 90%');
  });

  it('hysteresis with equals: a value within the clear distance of the threshold keeps it firing', async () => {
    const { engine, world, changes } = setup();
    engine.setConfigRules([
      signalRule('dead', {
        signal: { kind: 'taskQueue', measure: 'dead' },
        operator: 'equals',
        threshold: 3,
        clearThreshold: 5,
      }),
    ]);
    const values = [2, 3, 4, 2, 1.5, 5, 3];
    const seen = values.map((dead) => {
      world.tasks = { waiting: 0, dead };
      engine.evaluate();
      return stateOf(engine, 'dead');
    });
    expect(seen).toEqual(['inactive', 'firing', 'firing', 'firing', 'firing', 'inactive', 'firing']);
    expect(states(changes).map(([, state]) => state)).toEqual(['firing', 'resolved', 'firing']);
  });

  it('every operator raises and resolves through the engine', () => {
    const cases = [
      { operator: 'above', threshold: 50, holds: 60, clears: 40 },
      { operator: 'below', threshold: 50, holds: 40, clears: 60 },
      { operator: 'equals', threshold: 50, holds: 50, clears: 51 },
      { operator: 'between', threshold: 40, thresholdHigh: 60, holds: 60, clears: 61 },
      { operator: 'outside', threshold: 40, thresholdHigh: 60, holds: 39, clears: 40 },
    ] as const;
    for (const { holds, clears, ...condition } of cases) {
      const { engine, world, changes } = setup();
      engine.setConfigRules([signalRule('r', condition)]);
      cpu(world, holds);
      engine.evaluate();
      cpu(world, clears);
      engine.evaluate();
      expect(
        states(changes).map(([, state]) => state),
        condition.operator,
      ).toEqual(['firing', 'resolved']);
    }
  });

  it('forSeconds: pending until it held that long on the monotonic clock; a wall-clock step changes nothing', async () => {
    const { engine, clock, changes } = setup();
    engine.setConfigRules([signalRule('cpu', { forSeconds: 60 })]);
    engine.evaluate();
    clock.stepWall(3_600_000);
    await clock.advance(59_000);
    engine.evaluate();
    expect(states(changes).map(([, state]) => state)).toEqual(['pending']);
    await clock.advance(1_000);
    engine.evaluate();
    expect(states(changes).map(([, state]) => state)).toEqual(['pending', 'firing']);
  });

  it('keepFiringForSeconds: keeps firing that long after the condition cleared; coming back keeps it firing', async () => {
    const { engine, clock, world, changes } = setup();
    engine.setConfigRules([signalRule('cpu', { keepFiringForSeconds: 30 })]);
    engine.evaluate();
    const id = changes[0]!.id;
    cpu(world, 50);
    engine.evaluate();
    await clock.advance(20_000);
    engine.evaluate();
    expect(stateOf(engine, 'cpu')).toBe('firing');
    // Back above the threshold within the 30 s: the same alert goes on, and the wait starts over when it clears.
    cpu(world, 95);
    engine.evaluate();
    cpu(world, 50);
    await clock.advance(5_000);
    engine.evaluate();
    await clock.advance(29_000);
    engine.evaluate();
    expect(states(changes)).toEqual([[id, 'firing']]);
    await clock.advance(1_000);
    engine.evaluate();
    expect(states(changes)).toEqual([
      [id, 'firing'],
      [id, 'resolved'],
    ]);
  });

  it('carries the rule severity (emergency too) and labels, and renders the description', () => {
    const { engine, world, changes } = setup();
    world.runs = [
      { serviceId: 'web', check: 'http', runs: 10, failed: 4, meanLatencyMs: 120 },
      { serviceId: 'web', check: 'tls', runs: 10, failed: 0, meanLatencyMs: 30 },
      { serviceId: 'db', check: 'tcp', runs: 5, failed: 0, meanLatencyMs: 900 },
    ];
    engine.setConfigRules([
      signalRule('errors', {
        severity: 'emergency',
        labels: { team: 'payments' },
        signal: { kind: 'errorRate', serviceIds: [], windowSeconds: 60 },
        threshold: 15,
        description: '{{value}}% failed on {{node}} (over {{threshold}}%) in {{labels.zone}} for {{labels.team}}',
      }),
    ]);
    engine.evaluate();
    expect(changes[0]).toMatchObject({
      severity: 'emergency',
      labels: { team: 'payments' },
      value: 20,
      summary: 'error rate over 60 s 20% > 15%: web',
      description: '20% failed on node-a (over 15%) in eu-1 for payments',
    });
    expect(engine.openCounts()).toEqual({ info: 0, warning: 0, critical: 0, emergency: 1 });
  });
});
