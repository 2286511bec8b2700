import { describe, expect, it } from 'vitest';
import type { DownMember, Member, NodeSummary } from '../../../../../shared/node.js';
import { NodeSummary as NodeSummarySchema } from '../../../../../shared/node.js';
import { layoutTopology } from '../../../../../renderer/views/topology/topology-layout.js';
import {
  mapNodes,
  mapStatuses,
  memberStatus,
  openAlertsText,
} from '../../../../../renderer/views/topology/map-status.js';

const at = Date.UTC(2026, 11, 3, 12);

/** A summary as an agent publishes it: parsed with the shared schema, so defaults apply as in the console. */
const summary = (fields: Partial<NodeSummary> = {}): NodeSummary =>
  NodeSummarySchema.parse({
    health: 'unknown',
    services: 0,
    checks: { passing: 0, warning: 0, critical: 0, flapping: 0, unknown: 0 },
    cpuPercent: 12,
    memoryPercent: 40,
    diskPercent: 55,
    leaderClaim: null,
    publishedAt: at,
    ...fields,
  });

const alerts = (counts: Partial<NodeSummary['openAlerts']>) => ({
  openAlerts: { info: 0, warning: 0, critical: 0, emergency: 0, ...counts },
});

const member = (id: string, fields: Partial<Member> = {}): Member => ({
  id,
  name: `node-${id}`,
  role: 'agent',
  labels: {},
  version: '0.1.0',
  apiUrl: 'http://127.0.0.1:7420',
  startedAt: at - 60_000,
  leader: false,
  lastSeen: at,
  ...fields,
});

const down = (id: string, fields: Partial<DownMember> = {}): DownMember => ({
  id,
  name: `node-${id}`,
  lastSeen: at - 30_000,
  downSince: at - 20_000,
  ...fields,
});

describe('a node’s status on the map', () => {
  it('is critical for a node with two firing critical alerts and no services, not unknown', () => {
    expect(memberStatus({ summary: summary(alerts({ critical: 2 })) })).toBe('critical');
  });

  it('counts an emergency as critical and a warning alert as a warning', () => {
    expect(memberStatus({ summary: summary(alerts({ emergency: 1 })) })).toBe('critical');
    expect(memberStatus({ summary: summary({ health: 'passing', services: 2, ...alerts({ warning: 1 }) }) })).toBe(
      'warning',
    );
  });

  it('keeps the worse of checks and alerts: a critical check outranks a warning alert', () => {
    expect(memberStatus({ summary: summary({ health: 'critical', services: 1, ...alerts({ warning: 3 }) }) })).toBe(
      'critical',
    );
    expect(memberStatus({ summary: summary({ health: 'flapping', services: 1, ...alerts({ warning: 1 }) }) })).toBe(
      'flapping',
    );
  });

  it('leaves an info alert out of the colour', () => {
    expect(memberStatus({ summary: summary({ health: 'passing', services: 1, ...alerts({ info: 2 }) }) })).toBe(
      'passing',
    );
  });

  it('is the checks’ health when nothing fires, and unknown before the first summary', () => {
    expect(memberStatus({ summary: summary({ health: 'passing', services: 3 }) })).toBe('passing');
    expect(memberStatus({ summary: summary() })).toBe('unknown');
    expect(memberStatus({})).toBe('unknown');
  });

  it('is stale when the record is overdue, whatever it last said', () => {
    expect(memberStatus({ stale: true, summary: summary(alerts({ critical: 1 })) })).toBe('stale');
    expect(memberStatus({ stale: false, summary: summary({ health: 'passing', services: 1 }) })).toBe('passing');
  });
});

describe('the nodes of the map', () => {
  it('draws the down members after the live ones, as down, with their last record', () => {
    const last = summary({ health: 'passing', services: 2 });
    const nodes = mapNodes(
      [member('a'), member('b', { summary: summary(alerts({ critical: 1 })) })],
      [down('c', { role: 'agent', labels: { zone: 'eu-1' }, summary: last })],
    );
    expect(nodes.map((node) => [node.id, node.status])).toEqual([
      ['a', 'unknown'],
      ['b', 'critical'],
      ['c', 'down'],
    ]);
    expect(nodes[2]).toMatchObject({ labels: { zone: 'eu-1' }, summary: last, down: { downSince: at - 20_000 } });
    expect(nodes[2]!.member).toBeUndefined();
  });

  it('draws a member that came back from its live record, once', () => {
    const nodes = mapNodes([member('a', { summary: summary({ health: 'passing', services: 1 }) })], [down('a')]);
    expect(nodes).toHaveLength(1);
    expect(nodes[0]!.status).toBe('passing');
  });

  it('gives down members no labels rather than none at all, so label filters still apply', () => {
    expect(mapNodes([], [down('x')])[0]!.labels).toEqual({});
  });

  it('groups by status worst first: down, then critical, then stale, then passing', () => {
    const nodes = mapNodes(
      [
        member('ok', { summary: summary({ health: 'passing', services: 1 }) }),
        member('late', { stale: true }),
        member('bad', { summary: summary(alerts({ critical: 1 })) }),
      ],
      [down('gone')],
    );
    const scene = layoutTopology(nodes, { by: 'health' }, null, 'Fleet');
    expect(scene.groups.map((group) => group.caption)).toEqual([
      'Down · 1',
      'Critical · 1',
      'Stale · 1',
      'Passing · 1',
    ]);
    expect(mapStatuses[scene.status[scene.indexById.get('gone')!]!]).toBe('down');
  });

  it('never crowns a down member, even the one the leader info still names', () => {
    const scene = layoutTopology(mapNodes([member('a')], [down('old')]), { by: 'none' }, 'old', 'Fleet');
    expect(scene.leaderIndex).toBe(-1);
  });
});

describe('open alerts in words', () => {
  it('lists the severities worst first and says None when nothing fires', () => {
    expect(openAlertsText({ info: 1, warning: 2, critical: 0, emergency: 1 })).toBe('1 emergency, 2 warning, 1 info');
    expect(openAlertsText({ info: 0, warning: 0, critical: 0, emergency: 0 })).toBe('None');
  });
});
