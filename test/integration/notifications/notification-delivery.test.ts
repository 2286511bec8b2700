import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/clock.js';
import { freePort } from '../../../electron/core/free-port.js';
import { nodeSecrets } from '../../../electron/notifications/node-secrets.js';
import { deliveryIdOf, NotificationService } from '../../../electron/notifications/notification-service.js';
import { OutboxRepository } from '../../../electron/notifications/outbox-repository.js';
import { openDatabase } from '../../../electron/store/open-database.js';
import { databaseFileName } from '../../../electron/store/store.js';
import { WebhookBody } from '../../../shared/alert-notice.js';
import { Channel, type ChannelInput } from '../../../shared/notifications.js';
import { alertNotice } from '../../support/alert-notices.js';
import { waitFor } from '../../support/poll.js';
import { memoryLogger } from '../../support/test-logger.js';
import { signatureValid, WebhookReceiver } from '../../support/webhook-receiver.js';

const hmacSecret = 'whsec-test-2f8a';
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A service on a real SQLite file with fast retries, sending from this process with `env` as its environment. */
function openService(file: string, env: NodeJS.ProcessEnv = {}, readDirs: string[] = []) {
  const { db } = openDatabase(file, { now: Date.now() });
  const { logger, lines } = memoryLogger();
  const service = new NotificationService({
    repository: new OutboxRepository(db),
    clock: systemClock,
    random: Math.random,
    logger,
    sendContext: { ...nodeSecrets(readDirs, env), logger },
    policy: { baseDelayMs: 50, maxDelayMs: 200, maxAttempts: 1000 },
  });
  cleanups.push(async () => {
    await service.stop();
    closeDb(db);
  });
  return { service, db, lines };
}

const closeDb = (db: Database.Database) => {
  if (db.open) db.close();
};

const newFile = () => join(mkdtempSync(join(tmpdir(), 'fleetdeck-notify-')), databaseFileName);

async function downReceiver(): Promise<WebhookReceiver> {
  const receiver = new WebhookReceiver(await freePort());
  cleanups.push(() => receiver.stop());
  return receiver;
}

const webhook = (url: string, overrides: Partial<Extract<ChannelInput, { type: 'webhook' }>> = {}): Channel =>
  Channel.parse({
    id: 'hook',
    name: 'Ops hook',
    type: 'webhook',
    settings: { url, secret: { env: 'HOOK_SECRET' }, headers: { 'x-team': 'ops' } },
    ...overrides,
  });

describe('webhook delivery through the outbox (real receiver on 127.0.0.1)', () => {
  it('reaches a receiver that was down once it is up: delivered once, signed, with a stable deliveryId', async () => {
    const receiver = await downReceiver();
    const { service } = openService(newFile(), { HOOK_SECRET: hmacSecret });
    service.applyFleet(webhook(receiver.url));
    service.start();
    const routed = service.enqueueNotice(alertNotice('a1'), 'notice-1');
    expect(routed).toEqual({ deliveryIds: [deliveryIdOf('notice-1', 'hook')], desktopChannelIds: [] });

    await waitFor('two failed attempts', () => (service.deliveries({ limit: 1 })[0]?.attempts ?? 0) >= 2);
    const [failing] = service.deliveries({ limit: 1 });
    expect(failing).toMatchObject({ state: 'pending', lastError: expect.stringContaining('ECONNREFUSED') });
    expect(service.isSettled('notice-1')).toBe(false);

    const settled = new Promise<string>((resolve) => service.onSettled(resolve));
    await receiver.start();
    expect(await settled).toBe('notice-1');
    expect(service.isSettled('notice-1')).toBe(true);
    expect(receiver.posts).toHaveLength(1);
    const [post] = receiver.posts;
    expect(signatureValid(post!, hmacSecret)).toBe(true);
    expect(signatureValid(post!, 'another secret')).toBe(false);
    expect(post!.headers['x-team']).toBe('ops');
    const body = WebhookBody.parse(JSON.parse(post!.body));
    expect(body).toMatchObject({ deliveryId: routed.deliveryIds[0], transition: 'firing', alert: { id: 'web-1/a1' } });
    expect(service.deliveries({ state: 'sent', limit: 10 })).toMatchObject([
      { deliveryId: routed.deliveryIds[0], channelId: 'hook', sentAt: expect.any(Number) },
    ]);

    // The leader hearing of the same notice again (a failover) sends nothing new.
    expect(service.enqueueNotice(alertNotice('a1'), 'notice-1').deliveryIds).toEqual(routed.deliveryIds);
    expect(service.isSettled('notice-1')).toBe(true);
  });

  it('survives a restart mid-retry: the reopened file sends the pending delivery with the same deliveryId', async () => {
    const receiver = await downReceiver();
    const file = newFile();
    const first = openService(file, { HOOK_SECRET: hmacSecret });
    first.service.applyFleet(webhook(receiver.url));
    first.service.start();
    const [deliveryId] = first.service.enqueueNotice(alertNotice('a1'), 'notice-1').deliveryIds;
    await waitFor('a failed attempt', () => (first.service.deliveries({ limit: 1 })[0]?.attempts ?? 0) >= 1);
    await first.service.stop();
    closeDb(first.db);

    await receiver.start();
    const second = openService(file, { HOOK_SECRET: hmacSecret });
    second.service.applyFleet(webhook(receiver.url));
    second.service.start();
    await waitFor('the delivery', () => second.service.isSettled('notice-1'));
    expect(receiver.posts.map((post) => WebhookBody.parse(JSON.parse(post.body)).deliveryId)).toEqual([deliveryId]);
    expect(second.service.deliveries({ limit: 10 })).toMatchObject([{ deliveryId, state: 'sent' }]);
  });

  it('routes by enabled, minimum severity, label matchers and repeat interval; reports matched desktop channels', () => {
    const { service } = openService(newFile());
    const channel = (input: Record<string, unknown>) =>
      Channel.parse({ name: 'c', type: 'log', settings: {}, ...input });
    service.applyFleet(channel({ id: 'all-warnings' }));
    service.applyFleet(channel({ id: 'critical-only', minSeverity: 'critical' }));
    service.applyFleet(channel({ id: 'off', enabled: false, minSeverity: 'info' }));
    service.applyFleet(channel({ id: 'api-team', matchers: [{ name: 'service', op: '=~', value: 'api|web' }] }));
    service.applyFleet(channel({ id: 'not-web-1', matchers: [{ name: 'node', op: '!=', value: 'web-1' }] }));
    service.applyFleet(channel({ id: 'disk-rule', matchers: [{ name: 'rule', value: 'disk-full' }] }));
    service.applyFleet(channel({ id: 'repeating', repeatIntervalSeconds: 3600 }));
    service.applyFleet(channel({ id: 'screen', type: 'desktop' }));
    const channelsOf = (key: string, deliveryIds: string[]) =>
      service
        .deliveries({ limit: 100 })
        .filter((d) => deliveryIds.includes(d.deliveryId) && d.deliveryId === deliveryIdOf(key, d.channelId))
        .map((d) => d.channelId)
        .sort();

    const firing = service.enqueueNotice(alertNotice('a1'), 'k1');
    expect(firing.desktopChannelIds).toEqual(['screen']);
    expect(channelsOf('k1', firing.deliveryIds)).toEqual(['all-warnings', 'api-team', 'disk-rule', 'repeating']);
    const critical = service.enqueueNotice(alertNotice('a2', 'firing', { severity: 'critical' }), 'k2');
    expect(channelsOf('k2', critical.deliveryIds)).toEqual([
      'all-warnings',
      'api-team',
      'critical-only',
      'disk-rule',
      'repeating',
    ]);
    const info = service.enqueueNotice(alertNotice('a3', 'firing', { severity: 'info' }), 'k3');
    expect(info).toEqual({ deliveryIds: [], desktopChannelIds: [] });
    const elsewhere = service.enqueueNotice(alertNotice('a4', 'firing', { node: 'db-1', labels: {} }), 'k4');
    expect(channelsOf('k4', elsewhere.deliveryIds)).toEqual(['all-warnings', 'disk-rule', 'not-web-1', 'repeating']);
    const repeat = service.enqueueNotice(alertNotice('a1', 'repeat'), 'k5');
    expect(repeat.deliveryIds).toEqual([deliveryIdOf('k5', 'repeating')]);
  });
});

describe('secrets read on the sending node', () => {
  it('reads a {file} secret inside files.readDirs and refuses one outside, naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-secret-'));
    writeFileSync(join(dir, 'hook-secret'), `${hmacSecret}\n`);
    const { resolveSecret } = nodeSecrets([dir], {});
    expect(await resolveSecret({ file: join(dir, 'hook-secret') }, 'settings.secret')).toBe(hmacSecret);
    await expect(resolveSecret({ file: '/etc/hostname' }, 'settings.secret')).rejects.toThrow(
      'settings.secret /etc/hostname is outside the directories this node allows (files.readDirs)',
    );
    await expect(resolveSecret({ env: 'NOT_SET_HERE' }, 'settings.secret')).rejects.toThrow(
      'settings.secret: the environment variable NOT_SET_HERE is not set on this node',
    );
  });
});
