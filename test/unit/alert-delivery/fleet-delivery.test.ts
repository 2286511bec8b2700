import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertPublisher } from '../../../electron/alert-delivery/alert-publisher.js';
import { NotificationLeader } from '../../../electron/alert-delivery/notification-leader.js';
import { fleetAlertMirror } from '../../../electron/alert-delivery/fleet-alert-mirror.js';
import type { Campaign } from '../../../electron/cluster/coordination-backend.js';
import { fleetAlertKeys } from '../../../electron/cluster/fleet-keys.js';
import { LocalBackend } from '../../../electron/cluster/local/local-backend.js';
import { LocalCoordinator } from '../../../electron/cluster/local/local-coordinator.js';
import { freePort } from '../../../electron/core/free-port.js';
import { systemClock } from '../../../electron/core/clock.js';
import { nodeSecrets } from '../../../electron/notifications/node-secrets.js';
import { NotificationService } from '../../../electron/notifications/notification-service.js';
import { OutboxRepository } from '../../../electron/notifications/outbox-repository.js';
import { openDatabase } from '../../../electron/store/open-database.js';
import { WebhookBody } from '../../../shared/alert-notice.js';
import type { Alert } from '../../../shared/alerts.js';
import { alertFixture, alertStartedAt } from '../../support/alert-fixture.js';
import { FleetAlertRecord } from '../../../shared/fleet-alerts.js';
import { Channel } from '../../../shared/notifications.js';
import { memberRecord } from '../cluster/coordination-contract.js';
import { waitFor } from '../../support/poll.js';
import { memoryLogger } from '../../support/test-logger.js';
import { WebhookReceiver } from '../../support/webhook-receiver.js';

const logger = memoryLogger().logger;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const t0 = alertStartedAt;
const alert = alertFixture;
const firing = (change: Partial<Alert> = {}) => alert({ state: 'firing', firingAt: t0 + 1000, ...change });
const resolved = (change: Partial<Alert> = {}) =>
  alert({ state: 'resolved', firingAt: t0 + 1000, resolvedAt: t0 + 9000, ...change });

/** A fleet on one in-process coordinator: node `web-1` publishes, leader candidates tell through real outboxes. */
async function fleet(channelSettings: { repeatIntervalSeconds?: number } = {}) {
  const coordinator = new LocalCoordinator(systemClock);
  cleanups.push(() => coordinator.close());
  const backendFor = async () => {
    const backend = new LocalBackend({
      coordinator,
      ownsCoordinator: false,
      cluster: 'unit',
      clock: systemClock,
      logger,
    });
    await backend.connect();
    cleanups.push(() => backend.close());
    return backend;
  };
  const receiver = await new WebhookReceiver(await freePort()).start();
  cleanups.push(() => receiver.stop());
  const channel = Channel.parse({
    id: 'hook',
    name: 'Hook',
    type: 'webhook',
    settings: { url: receiver.url },
    ...channelSettings,
  });
  const silences = new Set<string>();

  const nodeBackend = await backendFor();
  const stored = new Map<number, Alert>();
  const publisher = new AlertPublisher({
    backend: nodeBackend,
    clock: systemClock,
    logger,
    nodeId: 'web-1',
    openAlerts: () => [...stored.values()].filter((a) => a.state !== 'resolved'),
    findAlert: (id) => stored.get(id) ?? null,
    labelsOf: (a) => a.labels,
  });
  publisher.start();
  cleanups.push(() => publisher.stop());
  const change = (next: Alert) => {
    stored.set(next.id, next);
    publisher.changed(next);
  };

  /** A leader candidate with its own SQLite outbox; it leads once elected. */
  const candidate = async (id: string) => {
    const backend = await backendFor();
    const registration = await backend.register(memberRecord(id), 30);
    const campaign: Campaign = backend.campaign(id, registration);
    const { db } = openDatabase(join(mkdtempSync(join(tmpdir(), 'fleetdeck-delivery-')), 'fleetdeck.db'), {
      now: systemClock.now(),
    });
    cleanups.push(() => db.close());
    const service = new NotificationService({
      repository: new OutboxRepository(db),
      clock: systemClock,
      random: () => 0.5,
      logger,
      sendContext: { ...nodeSecrets([]), logger },
      policy: { baseDelayMs: 100, maxDelayMs: 200 },
    });
    service.applyFleet(channel);
    const records = fleetAlertMirror({ backend, clock: systemClock, logger });
    const mirror = records.start();
    const leader = new NotificationLeader({
      backend,
      records,
      outbox: service,
      clock: systemClock,
      logger,
      fleet: 'unit',
      leadership: () => campaign.current(),
      silenced: (a) => silences.has(a.id),
    });
    service.start();
    const stopLeader = leader.start();
    const stopChanges = campaign.onChange(() => leader.changed());
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      stopChanges();
      stopLeader();
      mirror.stop();
      await service.stop();
    };
    cleanups.push(stop);
    return { id, backend, campaign, registration, service, leader, stop };
  };

  const notices = () => receiver.posts.map((post) => WebhookBody.parse(JSON.parse(post.body)));
  const told = () => notices().map((n) => `${n.alert.id} ${n.transition}`);
  /** Every alert key (records and the leader's progress). */
  const stored_ = () => nodeBackend.list('alerts/');
  const records = async () =>
    (await nodeBackend.list(fleetAlertKeys.records)).map((entry) => FleetAlertRecord.parse(JSON.parse(entry.value)));
  return { receiver, silences, change, candidate, backendFor, notices, told, stored: stored_, records, publisher };
}

describe('fleet alert delivery (one coordinator in process, real outboxes and a webhook receiver)', () => {
  it('tells firing and resolved once, in order, then clears the record and its progress', async () => {
    const f = await fleet();
    const leader = await f.candidate('lead');
    await waitFor('leadership', () => leader.campaign.current() !== null);
    f.change(alert());
    f.change(firing());
    await waitFor('the firing told', () => f.told().length === 1);
    f.change(resolved());
    await waitFor('the resolved told', () => f.told().length === 2);
    await waitFor('the record and its progress cleared', async () => (await f.stored()).length === 0);
    expect(f.told()).toEqual(['web-1/1 firing', 'web-1/1 resolved']);
    const [first, second] = f.notices();
    expect(first!.deliveryId).not.toBe(second!.deliveryId);
    expect(first!.alert).toMatchObject({ state: 'firing', resolvedAt: null, labels: { team: 'ops' } });
    // The alert's timeline lists its deliveries from the leader's outbox, found by the alert's fleet-wide id.
    const told = leader.service.deliveries({ alertId: 'web-1/1', limit: 10 });
    expect(told.map((d) => [d.notice.transition, d.state])).toEqual([
      ['resolved', 'sent'],
      ['firing', 'sent'],
    ]);
    expect(leader.service.deliveries({ alertId: 'web-1/2', limit: 10 })).toEqual([]);
  });

  it('tells neither the firing nor the resolved of a silenced alert', async () => {
    const f = await fleet();
    f.silences.add('web-1/1');
    const leader = await f.candidate('lead');
    await waitFor('leadership', () => leader.campaign.current() !== null);
    f.change(firing());
    f.change(resolved());
    await waitFor('the record cleared', async () => (await f.stored()).length === 0);
    expect(f.told()).toEqual([]);
  });

  it('tells the resolved of a firing that was told even when a silence began in between', async () => {
    const f = await fleet();
    const leader = await f.candidate('lead');
    await waitFor('leadership', () => leader.campaign.current() !== null);
    f.change(firing());
    await waitFor('the firing told', () => f.told().length === 1);
    f.silences.add('web-1/1');
    f.change(firing({ acknowledged: { by: 'alice', at: t0 + 5000, note: '', untilMs: null } }));
    f.change(resolved());
    await waitFor('the record cleared', async () => (await f.stored()).length === 0);
    expect(f.told()).toEqual(['web-1/1 firing', 'web-1/1 acknowledged', 'web-1/1 resolved']);
  });

  it('a new leader delivers what the old one could not, under the same delivery id', async () => {
    const f = await fleet();
    await f.receiver.stop();
    const first = await f.candidate('first');
    await waitFor('first leads', () => first.campaign.current() !== null);
    const second = await f.candidate('second');
    f.change(firing());
    await waitFor('a failed attempt', () =>
      first.service.deliveries({ limit: 10 }).some((d) => d.state === 'pending' && d.attempts > 0),
    );
    const [pending] = first.service.deliveries({ limit: 10 });
    // The first leader stops (its loop and its lease), as a process that died.
    await first.stop();
    await first.registration.revoke();
    await waitFor('second leads', () => second.campaign.current() !== null);
    await f.receiver.start();
    await waitFor('the firing told by the second', () => f.told().length >= 1);
    expect(new Set(f.notices().map((n) => n.deliveryId))).toEqual(new Set([pending!.deliveryId]));
    expect(f.told()).toEqual(['web-1/1 firing']);
  });

  it('a restarted node numbers its events on from what it had published', async () => {
    const f = await fleet();
    f.change(firing());
    await waitFor('published', async () => (await f.records()).length === 1);
    f.publisher.stop();
    const again = new AlertPublisher({
      backend: await f.backendFor(),
      clock: systemClock,
      logger,
      nodeId: 'web-1',
      openAlerts: () => [firing({ acknowledged: { by: 'bob', at: t0 + 7000, note: '', untilMs: null } })],
      findAlert: () => null,
      labelsOf: (a) => a.labels,
    });
    again.start();
    cleanups.push(() => again.stop());
    await waitFor('the acknowledgement published as event 2', async () => {
      const [record] = await f.records();
      return record?.events.map((e) => `${e.seq}:${e.transition}`).join() === '1:firing,2:acknowledged';
    });
  });

  it('a restarted node ends the published record of a pending alert it discarded meanwhile, telling nobody', async () => {
    const f = await fleet();
    f.change(alert());
    await waitFor('published pending', async () => (await f.records())[0]?.alert.state === 'pending');
    f.publisher.stop();
    const again = new AlertPublisher({
      backend: await f.backendFor(),
      clock: systemClock,
      logger,
      nodeId: 'web-1',
      openAlerts: () => [],
      findAlert: () => null,
      labelsOf: (a) => a.labels,
    });
    again.start();
    cleanups.push(() => again.stop());
    await waitFor('the record ended', async () => (await f.records())[0]?.alert.state === 'resolved');
    expect((await f.records())[0]).toMatchObject({ alert: { firingAt: null }, events: [] });
  });

  it('reminds of a firing alert once per repeat interval until someone acknowledges it', async () => {
    const f = await fleet({ repeatIntervalSeconds: 60 });
    const leader = await f.candidate('lead');
    await waitFor('leadership', () => leader.campaign.current() !== null);
    // Fired 130 s ago: the second reminder is due, and only it (the name of a reminder is its number).
    const firingAt = Date.now() - 130_000;
    f.change(firing({ firingAt }));
    await waitFor('the firing and a reminder told', () => f.told().length === 2);
    expect(f.told()).toEqual(['web-1/1 firing', 'web-1/1 repeat']);
    const reminder = f.notices()[1]!;
    expect(reminder.alert.state).toBe('firing');
    f.change(firing({ firingAt, acknowledged: { by: 'alice', at: Date.now(), note: '', untilMs: null } }));
    await waitFor('the acknowledgement told', () => f.told().length === 3);
    await leader.leader.idle();
    expect(f.told()).toEqual(['web-1/1 firing', 'web-1/1 repeat', 'web-1/1 acknowledged']);
  });
});
