// Fire → webhook received across the fleet path, against a bare fetch POST to the same loopback receiver in the same
// run: a node publishes a firing alert to the coordination backend (the in-process `local` adapter), the leader's
// mirror hears it, routes it and hands it to the outbox, which POSTs it signed. One alert at a time.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { AlertPublisher } from '../electron/alert-delivery/alert-publisher.js';
import { NotificationLeader } from '../electron/alert-delivery/notification-leader.js';
import { fleetAlertMirror } from '../electron/alert-delivery/fleet-alert-mirror.js';
import { LocalBackend } from '../electron/cluster/local/local-backend.js';
import { LocalCoordinator } from '../electron/cluster/local/local-coordinator.js';
import { systemClock } from '../electron/core/clock.js';
import { nodeSecrets } from '../electron/notifications/node-secrets.js';
import { NotificationService } from '../electron/notifications/notification-service.js';
import { OutboxRepository } from '../electron/notifications/outbox-repository.js';
import { openDatabase } from '../electron/store/open-database.js';
import type { Alert } from '../shared/alerts.js';
import { Channel } from '../shared/notifications.js';
import { fmt, machine, percentile } from './support.js';

const SAMPLES = 300;

/** Resolves the waiter of each alert as its notice arrives. */
const arrivals = new Map<string, () => void>();
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    const alertId = body.startsWith('{') ? (JSON.parse(body) as { alert?: { id?: string } }).alert?.id : undefined;
    if (alertId) arrivals.get(alertId)?.();
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

const logger = pino({ level: 'silent' });
const clock = systemClock;
const coordinator = new LocalCoordinator(clock);
const backend = new LocalBackend({ coordinator, ownsCoordinator: false, cluster: 'bench', clock, logger });
await backend.connect();
const registration = await backend.register(
  { id: 'lead', name: 'lead', role: 'agent', labels: {}, version: 'bench', apiUrl: 'http://127.0.0.1:1', startedAt: 1 },
  30,
);
const campaign = backend.campaign('lead', registration);
const { db } = openDatabase(join(mkdtempSync(join(tmpdir(), 'fleetdeck-fleet-bench-')), 'outbox.db'), {
  now: clock.now(),
});
const service = new NotificationService({
  repository: new OutboxRepository(db),
  clock,
  random: Math.random,
  logger,
  sendContext: { ...nodeSecrets([], {}), logger },
});
service.applyFleet(Channel.parse({ id: 'hook', name: 'Bench', type: 'webhook', settings: { url, secret: 'bench' } }));
const records = fleetAlertMirror({ backend, clock, logger });
const mirror = records.start();
await mirror.ready;
const leader = new NotificationLeader({
  backend,
  records,
  outbox: service,
  clock,
  logger,
  fleet: 'bench',
  leadership: () => campaign.current(),
  silenced: () => false,
});
const publisher = new AlertPublisher({
  backend,
  clock,
  logger,
  nodeId: 'web-1',
  openAlerts: () => [],
  findAlert: () => null,
  labelsOf: (a) => a.labels,
});
while (!campaign.current()) await new Promise((resolve) => setTimeout(resolve, 10));
service.start();
const stopLeader = leader.start();
publisher.start();

const firing = (id: number): Alert => ({
  id,
  ruleId: 'cpu-high',
  ruleName: 'CPU high',
  severity: 'critical',
  labels: { service: 'api' },
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
});

const sampleBody = JSON.stringify({ transition: 'firing', alert: { id: 'x' } });
const fetchOnce = async () => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: sampleBody,
  });
  await response.text();
};

const fetchTimes: number[] = [];
const fleetTimes: number[] = [];
for (let i = 1; i <= SAMPLES + 20; i += 1) {
  let begun = performance.now();
  await fetchOnce();
  if (i > 20) fetchTimes.push(performance.now() - begun);
  begun = performance.now();
  const arrived = new Promise<void>((resolve) => arrivals.set(`web-1/${i}`, resolve));
  publisher.changed(firing(i));
  await arrived;
  if (i > 20) fleetTimes.push(performance.now() - begun);
}
fetchTimes.sort((a, b) => a - b);
fleetTimes.sort((a, b) => a - b);

publisher.stop();
stopLeader();
mirror.stop();
await service.stop();
await backend.close();
coordinator.close();
db.close();
server.closeAllConnections();
server.close();

const p50 = { fetch: percentile(fetchTimes, 50), fleet: percentile(fleetTimes, 50) };
const p99 = { fetch: percentile(fetchTimes, 99), fleet: percentile(fleetTimes, 99) };
console.log(`alerts fleet path: ${machine()}`);
console.log(
  `  ${SAMPLES} firing alerts, one at a time (after 20 warm-up), local coordination backend, loopback webhook`,
);
console.log(`  bare fetch POST        p50 ${fmt(p50.fetch)} ms, p99 ${fmt(p99.fetch)} ms`);
console.log(`  fire → received        p50 ${fmt(p50.fleet)} ms, p99 ${fmt(p99.fleet)} ms`);
console.log(`  ratio to fetch         p50 ${fmt(p50.fleet / p50.fetch, 1)}×, p99 ${fmt(p99.fleet / p99.fetch, 1)}×`);
