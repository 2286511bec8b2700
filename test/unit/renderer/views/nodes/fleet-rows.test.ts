import { describe, expect, it } from 'vitest';
import type { DownMember, Member } from '../../../../../shared/node.js';
import { parseLabelFilter } from '../../../../../renderer/fleet/member-filters.js';
import { fleetRows, fleetRowsOf, rowState, type FleetRow } from '../../../../../renderer/views/nodes/fleet-rows.js';
import { initialFleetTableState, type FleetTableStoreState } from '../../../../../renderer/stores/fleet-table-store.js';
import { nodeSummary } from '../../../../support/node-summary.js';

const member = (id: string, overrides: Partial<Member> = {}): Member => ({
  id,
  name: id,
  role: 'agent',
  labels: {},
  version: '1.0.0',
  apiUrl: `http://${id}.local:7420`,
  startedAt: 1_000,
  leader: false,
  lastSeen: 5_000,
  summary: nodeSummary(4_000),
  ...overrides,
});

const down = (id: string, overrides: Partial<DownMember> = {}): DownMember => ({
  id,
  name: id,
  lastSeen: 3_000,
  downSince: 4_000,
  role: 'agent',
  labels: {},
  summary: nodeSummary(2_000, { cpuPercent: 99 }),
  ...overrides,
});

const view = (overrides: Partial<FleetTableStoreState> = {}) => ({ ...initialFleetTableState, ...overrides });
const ids = (rows: FleetRow[]) => rows.map((row) => row.member.id);

describe('fleet table rows', () => {
  it('adds the down members after the registered ones, once, and tells each row’s state', () => {
    const rows = fleetRowsOf(
      [member('a'), member('b', { stale: true })],
      [down('c'), down('a')], // a came back before the leader noticed
    );
    expect(rows.map((row) => [row.member.id, rowState(row)])).toEqual([
      ['a', 'up'],
      ['b', 'stale'],
      ['c', 'down'],
    ]);
  });

  it('sorts worst first by status: down, then stale, then by health; members without a summary last', () => {
    const rows = fleetRowsOf(
      [
        member('fine'),
        member('critical', { summary: nodeSummary(4_000, { health: 'critical' }) }),
        member('stuck', { stale: true }),
        member('new', { summary: undefined }),
      ],
      [down('gone')],
    );
    const sorted = fleetRows(rows, view({ sortKey: 'health', sortDirection: 'descending' }), []);
    expect(ids(sorted)).toEqual(['gone', 'stuck', 'critical', 'fine', 'new']);
  });

  it('does not sort a down member by the figures of its last summary', () => {
    const rows = fleetRowsOf([member('busy', { summary: nodeSummary(4_000, { cpuPercent: 50 }) })], [down('gone')]);
    for (const sortDirection of ['ascending', 'descending'] as const) {
      expect(ids(fleetRows(rows, view({ sortKey: 'cpu', sortDirection }), []))).toEqual(['busy', 'gone']);
    }
  });

  it('sorts by last seen, a down member by when it was last seen alive', () => {
    const rows = fleetRowsOf([member('now', { lastSeen: 9_000 })], [down('earlier', { lastSeen: 8_000 })]);
    expect(ids(fleetRows(rows, view({ sortKey: 'lastSeen', sortDirection: 'ascending' }), []))).toEqual([
      'earlier',
      'now',
    ]);
  });

  it('filters down members by name, role and labels like the others', () => {
    const rows = fleetRowsOf(
      [member('web-1', { labels: { zone: 'eu-1' } }), member('db-1', { role: 'console' })],
      [down('web-2', { labels: { zone: 'us-1' } }), down('old', { role: undefined, labels: undefined })],
    );
    expect(ids(fleetRows(rows, view({ query: ' WEB ' }), []))).toEqual(['web-1', 'web-2']);
    expect(ids(fleetRows(rows, view({ role: 'agent' }), []))).toEqual(['web-1', 'web-2']);
    const zone = parseLabelFilter('zone=us-1');
    expect(zone.ok && ids(fleetRows(rows, view(), zone.selectors))).toEqual(['web-2']);
    // The API URL matches registered members only: a down member's record has none.
    expect(ids(fleetRows(rows, view({ query: 'db-1.local' }), []))).toEqual(['db-1']);
  });

  it('breaks ties by name, whatever the direction, and sorts names without regard to case', () => {
    const summary = nodeSummary(4_000, { cpuPercent: 50 });
    const rows = fleetRowsOf(
      [
        member('b', { name: 'beta', summary }),
        member('a', { name: 'Alpha', summary }),
        member('c', { name: 'gamma', summary }),
      ],
      [],
    );
    expect(ids(fleetRows(rows, view({ sortKey: 'name', sortDirection: 'descending' }), []))).toEqual(['c', 'b', 'a']);
    // The same CPU on every member: the CPU sort keeps name order both ways.
    for (const sortDirection of ['ascending', 'descending'] as const) {
      expect(ids(fleetRows(rows, view({ sortKey: 'cpu', sortDirection }), []))).toEqual(['a', 'b', 'c']);
    }
  });
});
