import { describe, expect, it } from 'vitest';
import { nextRecord, notifiedAlert } from '../../../electron/alert-delivery/alert-record.js';
import type { Alert } from '../../../shared/alerts.js';
import { alertFixture, alertStartedAt } from '../../support/alert-fixture.js';
import { MAX_RECORD_EVENTS, type FleetAlertRecord } from '../../../shared/fleet-alerts.js';

const t0 = alertStartedAt;

const alert = alertFixture;

/** The records a node publishes as its alert goes through `changes`, each from the one before. */
function publish(...changes: Array<Partial<Alert>>): FleetAlertRecord[] {
  const records: FleetAlertRecord[] = [];
  for (const change of changes)
    records.push(nextRecord('web-1', alert(change), records.at(-1), { team: 'ops', node: 'web-1' }));
  return records;
}

const transitions = (record: FleetAlertRecord | undefined) => record?.events.map((e) => `${e.seq}:${e.transition}`);

describe('the record a node publishes for its alert', () => {
  it('names the alert fleet-wide and tells nothing while it is pending', () => {
    const [pending] = publish({});
    expect(pending!.alert).toMatchObject({ id: 'web-1/1', localId: 1, node: 'web-1' });
    expect(pending!.alert.labels).toEqual({ team: 'ops', node: 'web-1' });
    expect(pending!.events).toEqual([]);
  });

  it('numbers firing, acknowledged and resolved in the order they happened', () => {
    const ack = { by: 'alice', at: t0 + 120_000, note: 'on it', untilMs: null };
    const records = publish(
      {},
      { state: 'firing', firingAt: t0 + 60_000 },
      { state: 'firing', firingAt: t0 + 60_000, value: 95 },
      { state: 'firing', firingAt: t0 + 60_000, acknowledged: ack },
      { state: 'resolved', firingAt: t0 + 60_000, resolvedAt: t0 + 300_000, acknowledged: ack },
    );
    expect(records.map(transitions)).toEqual([
      [],
      ['1:firing'],
      ['1:firing'],
      ['1:firing', '2:acknowledged'],
      ['1:firing', '2:acknowledged', '3:resolved'],
    ]);
    expect(records[4]!.events.map((e) => e.at)).toEqual([t0 + 60_000, t0 + 120_000, t0 + 300_000]);
    expect(records[4]!.alert.acknowledgedBy).toBe('alice');
  });

  it('tells a second acknowledgement (after an unacknowledge) again', () => {
    const first = { by: 'alice', at: t0 + 1000, note: '', untilMs: null };
    const second = { by: 'bob', at: t0 + 5000, note: '', untilMs: null };
    const firing = { state: 'firing' as const, firingAt: t0 };
    const records = publish(firing, { ...firing, acknowledged: first }, firing, { ...firing, acknowledged: second });
    expect(transitions(records.at(-1))).toEqual(['1:firing', '2:acknowledged', '3:acknowledged']);
  });

  it('tells nobody of an alert resolved before it fired', () => {
    const records = publish({}, { state: 'resolved', resolvedAt: t0 + 5000 });
    expect(records.at(-1)!.events).toEqual([]);
  });

  it('tells firing then resolved when the first record it publishes is already resolved', () => {
    const [record] = publish({ state: 'resolved', firingAt: t0 + 1000, resolvedAt: t0 + 9000 });
    expect(transitions(record)).toEqual(['1:firing', '2:resolved']);
  });

  it(`keeps the newest ${MAX_RECORD_EVENTS} events, numbered on`, () => {
    const changes: Array<Partial<Alert>> = [{ state: 'firing', firingAt: t0 }];
    for (let i = 1; i <= MAX_RECORD_EVENTS + 5; i++) {
      changes.push({ state: 'firing', firingAt: t0, acknowledged: { by: 'a', at: t0 + i, note: '', untilMs: null } });
    }
    const last = publish(...changes).at(-1)!;
    expect(last.events).toHaveLength(MAX_RECORD_EVENTS);
    expect(last.events.at(-1)!.seq).toBe(MAX_RECORD_EVENTS + 6);
  });

  it('shows a firing told late as firing, without the fields only consoles need', () => {
    const [, , resolved] = publish(
      {},
      { state: 'firing', firingAt: t0 },
      { state: 'resolved', firingAt: t0, resolvedAt: t0 + 9000 },
    );
    const told = notifiedAlert(resolved!, resolved!.events[0]!);
    expect(told).toMatchObject({ id: 'web-1/1', state: 'firing', resolvedAt: null });
    expect(told).not.toHaveProperty('localId');
    expect(told).not.toHaveProperty('description');
    expect(notifiedAlert(resolved!, resolved!.events[1]!)).toMatchObject({ state: 'resolved', resolvedAt: t0 + 9000 });
  });
});
