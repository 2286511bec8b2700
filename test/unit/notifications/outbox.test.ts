import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox, type OutboxPolicy } from '../../../electron/notifications/outbox.js';
import {
  OutboxRepository,
  type NewDelivery,
  type PendingDelivery,
} from '../../../electron/notifications/outbox-repository.js';
import type { SendAttempt } from '../../../electron/notifications/senders/sender.js';
import { openDatabase } from '../../../electron/store/open-database.js';
import { databaseFileName } from '../../../electron/store/store.js';
import { alertNotice } from '../../support/alert-notices.js';
import { ManualClock, settle } from '../../support/manual-clock.js';
import { memoryLogger } from '../../support/test-logger.js';

const opened: Database.Database[] = [];
const outboxes: Outbox[] = [];
const receivers: ScriptedReceiver[] = [];

afterEach(async () => {
  for (const receiver of receivers.splice(0)) receiver.answerAll(down);
  for (const outbox of outboxes.splice(0)) await outbox.stop();
  for (const db of opened.splice(0)) if (db.open) db.close();
});

const newFile = () => join(mkdtempSync(join(tmpdir(), 'fleetdeck-outbox-')), databaseFileName);

/** A receiver the test answers by hand: every attempt waits until the test says how it went. */
class ScriptedReceiver {
  readonly attempts: Array<{ delivery: PendingDelivery; answer(attempt: SendAttempt): void }> = [];

  send = (delivery: PendingDelivery) => new Promise<SendAttempt>((answer) => this.attempts.push({ delivery, answer }));

  /** Answers every attempt not yet answered. */
  answerAll(attempt: SendAttempt): string[] {
    const waiting = this.attempts.splice(0);
    for (const { answer } of waiting) answer(attempt);
    return waiting.map(({ delivery }) => delivery.deliveryId);
  }
}

const ok: SendAttempt = { ok: true, retryable: false, detail: 'HTTP 200' };
const down: SendAttempt = { ok: false, retryable: true, detail: 'connect ECONNREFUSED 127.0.0.1:9' };

const policy: OutboxPolicy = { concurrency: 4, maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 };

function setup(file = newFile(), clock = new ManualClock(), random = () => 0.5) {
  const { db } = openDatabase(file, { now: clock.now() });
  opened.push(db);
  const repository = new OutboxRepository(db);
  const receiver = new ScriptedReceiver();
  receivers.push(receiver);
  const outbox = new Outbox({ repository, clock, random, send: receiver.send, logger: memoryLogger().logger, policy });
  outboxes.push(outbox);
  return { db, file, clock, repository, receiver, outbox };
}

const delivery = (id: string, alertId = 'a1', channelId = 'hook', key = id): NewDelivery => ({
  deliveryId: id,
  noticeKey: key,
  channelId,
  stream: `${alertId}\n${channelId}`,
  notice: alertNotice(alertId),
});

describe('Outbox', () => {
  it('stores a delivery once: enqueueing its id again changes nothing, also after it was sent', async () => {
    const { outbox, receiver, repository } = setup();
    outbox.start();
    outbox.enqueue([delivery('d1')]);
    outbox.enqueue([delivery('d1')]);
    await settle();
    expect(receiver.answerAll(ok)).toEqual(['d1']);
    await settle();
    outbox.enqueue([delivery('d1')]);
    await settle();
    expect(receiver.attempts).toEqual([]);
    expect(repository.list({ limit: 10 })).toMatchObject([{ deliveryId: 'd1', state: 'sent', attempts: 1 }]);
  });

  it('retries with exponential backoff and jitter, then gives up as failed with the last error', async () => {
    const { outbox, receiver, repository, clock } = setup(newFile(), new ManualClock(), () => 0.9);
    const settled: string[] = [];
    outbox.onSettled((key) => settled.push(key));
    outbox.start();
    outbox.enqueue([delivery('d1')]);
    await settle();
    expect(receiver.answerAll(down)).toEqual(['d1']);
    await settle();
    // First retry after 1000 ms × (0.5 + 0.9).
    await clock.advance(1399);
    expect(receiver.attempts).toEqual([]);
    await clock.advance(1);
    expect(receiver.answerAll(down)).toEqual(['d1']);
    await settle();
    // Second after 2000 ms × 1.4.
    await clock.advance(2799);
    expect(receiver.attempts).toEqual([]);
    expect(outbox.isSettled('d1')).toBe(false);
    await clock.advance(1);
    expect(receiver.answerAll(down)).toEqual(['d1']);
    await settle();
    expect(repository.list({ limit: 10 })).toMatchObject([
      { deliveryId: 'd1', state: 'failed', attempts: 3, lastError: down.detail, sentAt: null },
    ]);
    expect(outbox.isSettled('d1')).toBe(true);
    expect(settled).toEqual(['d1']);
    await clock.advance(3_600_000);
    expect(receiver.attempts).toEqual([]);
  });

  it('gives up at once on an answer that retrying cannot change', async () => {
    const { outbox, receiver, repository } = setup();
    outbox.start();
    outbox.enqueue([delivery('d1')]);
    await settle();
    receiver.answerAll({ ok: false, retryable: false, detail: 'HTTP 404: no such hook' });
    await settle();
    expect(repository.list({ limit: 10 })).toMatchObject([
      { state: 'failed', attempts: 1, lastError: 'HTTP 404: no such hook' },
    ]);
  });

  it('sends one alert to one channel in order (a resolved never overtakes its firing), other streams meanwhile', async () => {
    const { outbox, receiver, clock } = setup();
    outbox.start();
    outbox.enqueue([delivery('a1-firing', 'a1')]);
    await settle();
    outbox.enqueue([delivery('a1-resolved', 'a1'), delivery('a2-firing', 'a2'), delivery('a1-other', 'a1', 'mail')]);
    await settle();
    // The resolved waits for its firing; another alert and another channel do not.
    expect(receiver.attempts.map((a) => a.delivery.deliveryId)).toEqual(['a1-firing', 'a2-firing', 'a1-other']);
    receiver.answerAll(down);
    await settle();
    await clock.advance(1000);
    expect(receiver.answerAll(ok)).toEqual(['a1-firing', 'a2-firing', 'a1-other']);
    await settle();
    expect(receiver.answerAll(ok)).toEqual(['a1-resolved']);
  });

  it('has at most `concurrency` deliveries in flight', async () => {
    const { outbox, receiver } = setup();
    outbox.start();
    outbox.enqueue(Array.from({ length: 10 }, (_, i) => delivery(`d${i}`, `a${i}`)));
    await settle();
    expect(receiver.attempts).toHaveLength(4);
    receiver.answerAll(ok);
    await settle();
    expect(receiver.attempts).toHaveLength(4);
    receiver.answerAll(ok);
    await settle();
    expect(receiver.answerAll(ok)).toEqual(['d8', 'd9']);
  });

  it('reports a key settled once all of its deliveries are, vacuously for none', async () => {
    const { outbox, receiver } = setup();
    const settled: string[] = [];
    outbox.onSettled((key) => settled.push(key));
    expect(outbox.isSettled('nothing')).toBe(true);
    outbox.start();
    outbox.enqueue([delivery('n1-hook', 'a1', 'hook', 'n1'), delivery('n1-mail', 'a1', 'mail', 'n1')]);
    await settle();
    receiver.attempts[0]?.answer(ok);
    await settle();
    expect([outbox.isSettled('n1'), settled]).toEqual([false, []]);
    receiver.answerAll({ ok: false, retryable: false, detail: 'refused' });
    await settle();
    expect([outbox.isSettled('n1'), settled]).toEqual([true, ['n1']]);
  });

  it('resumes after a restart: a delivery that was in flight when the file closed is sent again with its id', async () => {
    const first = setup();
    first.outbox.start();
    first.outbox.enqueue([delivery('d1'), delivery('d2', 'a2')]);
    await settle();
    first.receiver.answerAll(down);
    await settle();
    await first.clock.advance(1000);
    // Both are in flight again when the process "dies": the file closes before any answer comes.
    expect(first.receiver.attempts).toHaveLength(2);
    first.db.close();
    first.receiver.answerAll(ok);
    await settle();

    const second = setup(first.file);
    expect(second.repository.pending().map((d) => [d.deliveryId, d.attempts])).toEqual([
      ['d1', 1],
      ['d2', 1],
    ]);
    second.outbox.start();
    await settle();
    expect(second.receiver.answerAll(ok)).toEqual(['d1', 'd2']);
    await settle();
    expect(second.repository.list({ state: 'sent', limit: 10 }).map((d) => d.deliveryId)).toEqual(['d2', 'd1']);
  });

  it('prunes settled deliveries older than the cut and keeps pending ones', async () => {
    const { outbox, receiver, repository, clock } = setup();
    outbox.start();
    outbox.enqueue([delivery('old'), delivery('waiting', 'a2')]);
    await settle();
    receiver.attempts[0]?.answer(ok);
    await settle();
    expect(repository.prune(clock.now())).toBe(0);
    expect(repository.prune(clock.now() + 1)).toBe(1);
    expect(repository.list({ limit: 10 }).map((d) => d.deliveryId)).toEqual(['waiting']);
  });
});
