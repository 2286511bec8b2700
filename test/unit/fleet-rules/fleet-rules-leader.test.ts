import { afterEach, describe, expect, it } from 'vitest';
import { FleetAlertRecord } from '../../../shared/fleet-alerts.js';
import { effectiveFleetRules, FleetRule, type FleetRuleInput } from '../../../shared/fleet-rules.js';
import type { NodeSummary } from '../../../shared/node.js';
import { FleetMembership } from '../../../electron/cluster/fleet-membership.js';
import { LocalBackend } from '../../../electron/cluster/local/local-backend.js';
import { LocalCoordinator } from '../../../electron/cluster/local/local-coordinator.js';
import { fleetRuleKeys } from '../../../electron/fleet-rules/fleet-rule-keys.js';
import { FleetRulesLeader } from '../../../electron/fleet-rules/fleet-rules-leader.js';
import { ManualClock } from '../../support/manual-clock.js';
import { nodeSummary } from '../../support/node-summary.js';
import { memoryLogger } from '../../support/test-logger.js';
import { memberRecord } from '../cluster/coordination-contract.js';

const TTL_SECONDS = 3;

/** Nodes on one embedded coordinator with a manual clock, each with its membership and its fleet-rules leader. */
function fleet(saved: FleetRuleInput[] = []) {
  const clock = new ManualClock();
  const coordinator = new LocalCoordinator(clock);
  const { logger } = memoryLogger();
  const rules = effectiveFleetRules(saved.map((rule) => FleetRule.parse(rule)));
  const nodes: Array<{ id: string; membership: FleetMembership; leader: FleetRulesLeader; backend: LocalBackend }> = [];
  const backend = () => new LocalBackend({ coordinator, ownsCoordinator: false, cluster: 'unit', clock, logger });
  const reader = backend();

  const join = async (id: string, role: 'agent' | 'console' = 'agent') => {
    const own = backend();
    const record = { ...memberRecord(id), role, startedAt: clock.now() };
    const membership = new FleetMembership({
      backend: own,
      record,
      ttlSeconds: TTL_SECONDS,
      campaign: true,
      clock,
      logger,
    });
    const leader = new FleetRulesLeader({
      backend: own,
      clock,
      logger,
      nodeId: id,
      rules: () => rules,
      members: () => membership.members(),
      leaderClaims: () => membership.status().leaderClaims,
      leadership: () => membership.leadership(),
    });
    let stopLeading: (() => void) | null = null;
    const follow = () => {
      leader.changed();
      const leading = membership.leadership() !== null;
      if (leading && !stopLeading) stopLeading = leader.lead();
      if (!leading && stopLeading) {
        stopLeading();
        stopLeading = null;
      }
    };
    membership.onMembers(follow);
    membership.onLeadership(follow);
    await membership.join();
    const node = { id, membership, leader, backend: own, record };
    nodes.push(node);
    await clock.advance(0);
    return node;
  };
  type Node = Awaited<ReturnType<typeof join>>;

  return {
    clock,
    join,
    /** The process dies: keepalives stop, its lease expires by itself. */
    crash: async (node: Node) => {
      node.leader.stop();
      await node.backend.close();
    },
    /** A graceful stop: the membership writes the leave marker, then revokes the lease. */
    leave: async (node: Node) => {
      node.leader.stop();
      await node.membership.leave();
    },
    summary: (node: Node, overrides: Partial<NodeSummary>) =>
      node.membership.publishSummary(nodeSummary(clock.now(), overrides), true),
    /** The fleet alerts in the backend, oldest first. */
    records: async () =>
      (await reader.list(fleetRuleKeys.records))
        .map((entry) => FleetAlertRecord.parse(JSON.parse(entry.value)))
        .sort((a, b) => a.alert.localId - b.alert.localId),
    close: async () => {
      for (const node of nodes) node.leader.stop();
      for (const node of nodes) await node.backend.close();
    },
  };
}

type Fleet = ReturnType<typeof fleet>;
const summaries = (records: FleetAlertRecord[]) =>
  records.map(({ alert, events }) => ({
    rule: alert.ruleId,
    state: alert.state,
    summary: alert.summary,
    events: events.map((event) => event.transition),
  }));

describe('fleet rules on the leader', () => {
  let current: Fleet | null = null;
  afterEach(async () => {
    await current?.close();
    current = null;
  });

  it('raises one "member down" for an agent whose lease expired, after the grace, and resolves it when it is back', async () => {
    const f = (current = fleet([
      { id: 'member-down', name: 'Member down', type: 'member-down', severity: 'critical', graceSeconds: 10 },
    ]));
    await f.join('a');
    await f.join('b');
    const c = await f.join('c');
    await f.crash(c);
    await f.clock.advance(TTL_SECONDS * 1000 + 500);
    await f.clock.advance(9000);
    expect(await f.records()).toEqual([]);

    await f.clock.advance(2000);
    const [raised] = await f.records();
    expect(summaries([raised!])).toEqual([
      {
        rule: 'member-down',
        state: 'firing',
        summary: 'member Node c (c) is down: its lease expired',
        events: ['firing'],
      },
    ]);
    expect(raised!.alert).toMatchObject({
      id: 'fleet/1',
      node: 'fleet',
      severity: 'critical',
      labels: { member: 'c' },
    });
    await f.clock.advance(30_000);
    expect(await f.records()).toHaveLength(1);

    await f.join('c');
    await f.clock.advance(2000);
    expect(summaries(await f.records())).toEqual([
      {
        rule: 'member-down',
        state: 'resolved',
        summary: 'member Node c (c) is down: its lease expired',
        events: ['firing', 'resolved'],
      },
    ]);
  });

  it('raises nothing for a member that left gracefully, nor for a console that went away', async () => {
    const f = (current = fleet());
    await f.join('a');
    const b = await f.join('b');
    const desk = await f.join('desk', 'console');
    await f.leave(b);
    await f.crash(desk);
    await f.clock.advance(120_000);
    expect(await f.records()).toEqual([]);
  });

  it('a new leader carries on the open "member down": the old leader killed too raises one more, never a second for the same member', async () => {
    const f = (current = fleet());
    const a = await f.join('a');
    const b = await f.join('b');
    await f.join('c');
    const d = await f.join('d');
    expect(a.membership.leadership()).not.toBeNull();
    await f.crash(d);
    await f.clock.advance(TTL_SECONDS * 1000 + 31_000);
    expect((await f.records()).map((r) => r.alert.labels['member'])).toEqual(['d']);

    await f.crash(a);
    await f.clock.advance(TTL_SECONDS * 1000 + 1000);
    expect(b.membership.leadership()).not.toBeNull();
    await f.clock.advance(60_000);
    const records = await f.records();
    expect(records.map((r) => [r.alert.id, r.alert.labels['member'], r.alert.state])).toEqual([
      ['fleet/1', 'd', 'firing'],
      ['fleet/2', 'a', 'firing'],
    ]);
    expect(records.map((r) => r.events.length)).toEqual([1, 1]);
  });

  it('acknowledges a fleet alert on the leader only, as a told event, and lapses the acknowledgement at its time', async () => {
    const f = (current = fleet());
    const a = await f.join('a');
    const b = await f.join('b');
    const c = await f.join('c');
    await f.crash(c);
    await f.clock.advance(TTL_SECONDS * 1000 + 31_000);
    const [raised] = await f.records();
    expect(raised!.alert.state).toBe('firing');

    await expect(b.leader.acknowledge(raised!.alert.localId, null)).rejects.toThrow(/only the leader/);
    const ack = { by: 'alice', at: f.clock.now(), note: 'rebooting it', untilMs: f.clock.now() + 60_000 };
    const acknowledging = a.leader.acknowledge(raised!.alert.localId, ack);
    await f.clock.advance(0);
    expect((await acknowledging).alert.acknowledged).toEqual(ack);
    const [acked] = await f.records();
    expect(acked!.events.map((e) => e.transition)).toEqual(['firing', 'acknowledged']);
    expect(acked!.alert.acknowledgedBy).toBe('alice');

    await f.clock.advance(61_000);
    const [lapsed] = await f.records();
    expect(lapsed!.alert.acknowledged).toBeNull();
    expect(lapsed!.alert.state).toBe('firing');
    await expect(a.leader.acknowledge(99, null)).rejects.toThrow(/no open fleet alert 99/);
  });

  it('raises "split brain" once two members claim leadership for its forSeconds, and resolves it when one stops', async () => {
    const f = (current = fleet());
    const a = await f.join('a');
    const b = await f.join('b');
    const claim = { leaderClaim: { leaseId: '1', revision: '1' } };
    f.summary(a, claim);
    f.summary(b, claim);
    await f.clock.advance(4000);
    expect(await f.records()).toEqual([]);
    await f.clock.advance(2000);
    expect(summaries(await f.records())).toEqual([
      { rule: 'split-brain', state: 'firing', summary: 'split brain: a, b claim leadership', events: ['firing'] },
    ]);
    await f.clock.advance(10_000);
    f.summary(b, { leaderClaim: null });
    await f.clock.advance(2000);
    expect(summaries(await f.records()).map((r) => r.events)).toEqual([['firing', 'resolved']]);
  });

  it('counts dead tasks across the fleet against the threshold', async () => {
    const f = (current = fleet([
      { id: 'dead-letters', name: 'Dead letters', type: 'dead-letters', severity: 'warning', threshold: 5 },
    ]));
    const a = await f.join('a');
    const b = await f.join('b');
    f.summary(a, { tasks: { waiting: 0, running: 0, dead: 3 } });
    await f.clock.advance(2000);
    expect(await f.records()).toEqual([]);
    f.summary(b, { tasks: { waiting: 0, running: 0, dead: 2 } });
    await f.clock.advance(2000);
    expect(summaries(await f.records())).toEqual([
      { rule: 'dead-letters', state: 'firing', summary: '5 dead tasks in the fleet (threshold 5)', events: ['firing'] },
    ]);
    f.summary(a, { tasks: { waiting: 0, running: 0, dead: 0 } });
    await f.clock.advance(2000);
    expect(summaries(await f.records()).map((r) => r.state)).toEqual(['resolved']);
  });

  it('judges a quorum check: a partial outage below K nodes, down at K, one alert each once held forSeconds', async () => {
    const quorum: FleetRuleInput = {
      id: 'web-quorum',
      name: 'Web from everywhere',
      type: 'quorum-check',
      severity: 'critical',
      templateId: 'web-http',
      quorum: 2,
      partialSeverity: 'warning',
      // Nodes report one by one: a recovery passes through "1 of 3" for a moment, which must not count.
      forSeconds: 1,
    };
    const f = (current = fleet([quorum]));
    const nodes = [await f.join('a'), await f.join('b'), await f.join('c')];
    const report = (...statuses: Array<'passing' | 'critical'>) =>
      nodes.forEach((node, i) => f.summary(node, { templates: { 'web-http': statuses[i]! } }));
    report('passing', 'passing', 'passing');
    await f.clock.advance(2000);
    expect(await f.records()).toEqual([]);

    report('critical', 'passing', 'passing');
    await f.clock.advance(2000);
    report('critical', 'critical', 'passing');
    await f.clock.advance(2000);
    report('passing', 'passing', 'passing');
    await f.clock.advance(2000);
    const records = await f.records();
    expect(
      records.map(({ alert, events }) => [alert.severity, alert.summary, events.map((e) => e.transition)]),
    ).toEqual([
      ['warning', 'partial outage: web-http critical on 1 of 3 nodes (quorum 2)', ['firing', 'resolved']],
      ['critical', 'down: web-http critical on 2 of 3 nodes (quorum 2)', ['firing', 'resolved']],
    ]);
  });
});
