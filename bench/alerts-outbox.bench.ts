// The notification outbox against bare fetch POSTs to the same loopback webhook receiver in the same run:
// deliveries per second (each a durable row in SQLite, signed with HMAC-SHA256, marked sent) as a ratio to
// fetch with the same concurrency; and enqueue → received latency of single notices with an idle outbox.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { systemClock } from '../electron/core/clock.js';
import { nodeSecrets } from '../electron/notifications/node-secrets.js';
import { NotificationService } from '../electron/notifications/notification-service.js';
import { defaultOutboxPolicy } from '../electron/notifications/outbox.js';
import { OutboxRepository } from '../electron/notifications/outbox-repository.js';
import { openDatabase } from '../electron/store/open-database.js';
import type { AlertNotice } from '../shared/alert-notice.js';
import { Channel } from '../shared/notifications.js';
import { fmt, machine, percentile } from './support.js';

const ROUNDS = 3;
const PER_ROUND = 2000;
const LATENCY_SAMPLES = 300;
const { concurrency } = defaultOutboxPolicy;

/** Resolves the waiter of each delivery id as its POST arrives; counts every POST. */
const arrivals = new Map<string, () => void>();
let received = 0;
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    received += 1;
    const id = request.headers['x-fleetdeck-delivery'];
    if (typeof id === 'string') arrivals.get(id)?.();
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

const silent = pino({ level: 'silent' });
const { db } = openDatabase(join(mkdtempSync(join(tmpdir(), 'fleetdeck-outbox-bench-')), 'outbox.db'), {
  now: Date.now(),
});
const service = new NotificationService({
  repository: new OutboxRepository(db),
  clock: systemClock,
  random: Math.random,
  logger: silent,
  sendContext: { ...nodeSecrets([], {}), logger: silent },
});
service.applyFleet(
  Channel.parse({ id: 'hook', name: 'Bench', type: 'webhook', settings: { url, secret: 'bench-secret' } }),
);
service.start();

let sequence = 0;
const notice = (): AlertNotice => {
  sequence += 1;
  return {
    transition: 'firing',
    fleet: 'bench',
    alert: {
      id: `node-${sequence % 50}/${sequence}`,
      ruleId: 'cpu-high',
      ruleName: 'CPU high',
      severity: 'critical',
      state: 'firing',
      summary: 'cpu 97% for 5 min',
      node: `node-${sequence % 50}`,
      labels: { service: 'api', zone: 'eu-1' },
      startedAt: Date.now(),
      firingAt: Date.now(),
      resolvedAt: null,
    },
  };
};
const sampleBody = JSON.stringify({ ...notice(), deliveryId: 'x'.repeat(32), sentAt: Date.now() });

/** Deliveries per second: `count` notices enqueued at once, until the last is settled. */
async function outboxRate(count: number): Promise<number> {
  const begun = performance.now();
  const pending = new Set<string>();
  const done = new Promise<void>((resolve) => {
    const stop = service.onSettled((key) => {
      pending.delete(key);
      if (pending.size === 0) {
        stop();
        resolve();
      }
    });
  });
  for (let i = 0; i < count; i += 1) {
    const key = `bench-${sequence + 1}`;
    pending.add(key);
    service.enqueueNotice(notice(), key);
  }
  await done;
  return count / ((performance.now() - begun) / 1000);
}

/** POSTs per second with `concurrency` callers sending the same body with fetch. */
async function fetchRate(count: number): Promise<number> {
  let next = 0;
  const begun = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: sampleBody,
        });
        await response.text();
      }
    }),
  );
  return count / ((performance.now() - begun) / 1000);
}

// Warm both paths up, then alternate rounds so that noise falls on both alike.
await fetchRate(200);
await outboxRate(200);
const rates = { fetch: [] as number[], outbox: [] as number[] };
for (let round = 0; round < ROUNDS; round += 1) {
  rates.fetch.push(await fetchRate(PER_ROUND));
  rates.outbox.push(await outboxRate(PER_ROUND));
}

// Enqueue → received at the webhook, one notice at a time.
const latencies: number[] = [];
for (let i = 0; i < LATENCY_SAMPLES; i += 1) {
  const key = `latency-${i}`;
  const begun = performance.now();
  const arrived = new Promise<void>((resolve) =>
    arrivals.set(service.enqueueNotice(notice(), key).deliveryIds[0]!, resolve),
  );
  await arrived;
  latencies.push(performance.now() - begun);
}
latencies.sort((a, b) => a - b);

await service.stop();
db.close();
server.closeAllConnections();
server.close();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fetchPerSecond = median(rates.fetch);
const outboxPerSecond = median(rates.outbox);
console.log(`alerts outbox: ${machine()}`);
console.log(
  `  ${PER_ROUND} deliveries × ${ROUNDS} rounds, concurrency ${concurrency}, loopback webhook (${received} POSTs)`,
);
console.log(
  `  bare fetch POSTs     ${fmt(fetchPerSecond, 0)} /s  (rounds: ${rates.fetch.map((r) => fmt(r, 0)).join(', ')})`,
);
console.log(
  `  outbox deliveries    ${fmt(outboxPerSecond, 0)} /s  (rounds: ${rates.outbox.map((r) => fmt(r, 0)).join(', ')})`,
);
console.log(`  ratio                ${(outboxPerSecond / fetchPerSecond).toFixed(2)}× (target ≥ 0.5×)`);
console.log(
  `  enqueue → received   p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms (${LATENCY_SAMPLES} single notices)`,
);
