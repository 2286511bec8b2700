// Coordination on a real 3-member etcd (loopback):
// - failover after kill -9 of the leader: Fleetdeck agent processes (election with fencing) against processes
//   running the bare etcd3 `Election` recipe with the same lease TTL, both over 10 kills in this run;
// - graceful resign hand-over of Fleetdeck agents;
// - membership propagation: one registration seen by 100 watchers, against one etcd put.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pino from 'pino';
import { EtcdBackend } from '../electron/cluster/etcd/etcd-backend.js';
import { systemClock } from '../electron/core/clock.js';
import { FleetdeckClient, httpCall } from '../shared/client.js';
import { startAgentProcess, tempDir, type AgentProcess } from '../test/support/agent-process.js';
import { startEtcdCluster } from '../test/support/etcd-cluster.js';
import { fmt, machine, percentile } from './support.js';

const TTL_SECONDS = 3;
const KILLS = 10;
const RESIGNS = 5;
const WATCHERS = 100;
const REGISTRATIONS = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const max = (values: number[]) => Math.max(...values);

const etcd = await startEtcdCluster({ members: 3 });
const endpoints = etcd.endpoints.join(',');
const logger = pino({ level: 'silent' });

// --- Fleetdeck agents: kill -9 the acting leader, time until another acts (polled every 10 ms).
async function fleetdeckFailovers(): Promise<{ failovers: number[]; handovers: number[] }> {
  let sequence = 0;
  const start = async () => {
    sequence += 1;
    const agent = await startAgentProcess({
      args: [
        '--backend',
        'etcd',
        '--etcd-endpoints',
        endpoints,
        '--cluster',
        'bench',
        '--lease-ttl',
        String(TTL_SECONDS),
      ],
      env: { FLEETDECK_LOG_LEVEL: 'warn', FLEETDECK_NODE_ID: `bench-${sequence}` },
    });
    return {
      agent,
      client: new FleetdeckClient({ call: (m, p) => httpCall(agent.url, m, p), subscribe: () => () => {} }),
    };
  };
  const nodes = [await start(), await start(), await start()];
  const leaderIndex = async (exclude?: AgentProcess) => {
    for (;;) {
      for (const [i, node] of nodes.entries()) {
        if (node.agent === exclude) continue;
        const status = await node.client.call('node.status', {}).catch(() => null);
        if (status?.leader) return i;
      }
      await sleep(10);
    }
  };
  const failovers: number[] = [];
  const handovers: number[] = [];
  for (let round = 0; round < KILLS + RESIGNS; round += 1) {
    const index = await leaderIndex();
    const old = nodes[index]!;
    const t0 = performance.now();
    const resign = round >= KILLS;
    const stopped = old.agent.stop(resign ? 'SIGTERM' : 'SIGKILL');
    await leaderIndex(old.agent);
    (resign ? handovers : failovers).push(performance.now() - t0);
    await stopped;
    nodes[index] = await start();
  }
  for (const node of nodes) await node.agent.stop('SIGKILL');
  return { failovers, handovers };
}

// --- The bare recipe: each process campaigns with etcd3's Election on a lease of the same TTL and prints
// "elected" when it wins; nothing else (no fencing, no membership).
async function bareFailovers(): Promise<number[]> {
  const script = join(tempDir('fleetdeck-bench-bare-'), 'bare-election.cjs');
  const etcd3Path = createRequire(import.meta.url).resolve('etcd3');
  writeFileSync(
    script,
    `const { Etcd3 } = require(${JSON.stringify(etcd3Path)});
     const client = new Etcd3({ hosts: process.argv[2].split(',') });
     const campaign = client.election('bare-bench', ${TTL_SECONDS}).campaign(String(process.pid));
     campaign.on('elected', () => console.log('elected'));
     campaign.on('error', (e) => console.error(e.message));`,
  );
  const start = () => {
    const child = spawn(process.execPath, [script, endpoints], { stdio: ['ignore', 'pipe', 'inherit'] });
    const node = { child, elected: false, electedAt: 0 };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes('elected')) {
        node.elected = true;
        node.electedAt = performance.now();
      }
    });
    return node;
  };
  const nodes = [start(), start(), start()];
  const failovers: number[] = [];
  const waitLeader = async (except?: ChildProcess) => {
    for (;;) {
      const found = nodes.findIndex((n) => n.elected && n.child !== except);
      if (found >= 0) return found;
      await sleep(5);
    }
  };
  for (let round = 0; round < KILLS; round += 1) {
    const index = await waitLeader();
    const old = nodes[index]!;
    const t0 = performance.now();
    old.child.kill('SIGKILL');
    old.elected = false;
    const next = await waitLeader(old.child);
    failovers.push(nodes[next]!.electedAt - t0);
    nodes[index] = start();
  }
  for (const node of nodes) node.child.kill('SIGKILL');
  return failovers;
}

// --- Propagation: one registration seen by 100 watching backends; baseline one plain etcd put.
async function propagation(): Promise<{
  p99: number;
  putP50: number;
  bareP99: number;
  registerP50: number;
  registerMax: number;
}> {
  const make = () => new EtcdBackend({ endpoints: etcd.endpoints, cluster: 'propagation', clock: systemClock, logger });
  const watchers = await Promise.all(
    Array.from({ length: WATCHERS }, async () => {
      const backend = make();
      await backend.connect();
      return backend;
    }),
  );
  const delays: number[] = [];
  const registerTimes: number[] = [];
  // One standing watch per watcher for the whole run; each round times one new member reaching all of them.
  let round: { id: string; t0: number; seen: Set<number>; done: () => void } | null = null;
  watchers.forEach((watcher, index) =>
    watcher.watchMembers((members) => {
      const current = round;
      if (!current || current.seen.has(index) || !members.some((m) => m.record.id === current.id)) return;
      current.seen.add(index);
      delays.push(performance.now() - current.t0);
      if (current.seen.size === WATCHERS) current.done();
    }),
  );
  const writer = make();
  await writer.connect();
  await sleep(1000); // every watch established before timing
  for (let i = 0; i < REGISTRATIONS; i += 1) {
    const id = `prop-${i}`;
    const allSeen = new Promise<void>((resolve) => {
      round = { id, t0: performance.now(), seen: new Set(), done: resolve };
    });
    const registerStarted = performance.now();
    const registration = await writer.register(
      {
        id,
        name: id,
        role: 'agent',
        labels: {},
        version: 'bench',
        apiUrl: 'http://127.0.0.1:1',
        startedAt: Date.now(),
      },
      TTL_SECONDS,
    );
    registerTimes.push(performance.now() - registerStarted);
    await allSeen;
    round = null;
    await registration.revoke();
    await sleep(100);
  }
  // The floor on this machine: the same fan-out with 100 bare etcd3 watchers (no decoding, no member list).
  const { Etcd3 } = await import('etcd3');
  const bareClients = Array.from({ length: WATCHERS }, () => new Etcd3({ hosts: etcd.endpoints }));
  const bareDelays: number[] = [];
  for (let i = 0; i < REGISTRATIONS; i += 1) {
    let t0 = 0;
    const watchers = await Promise.all(bareClients.map((client) => client.watch().prefix(`bare/${i}/`).create()));
    const seen = watchers.map(
      (watcher) =>
        new Promise<void>((resolve) =>
          watcher.once('put', () => {
            bareDelays.push(performance.now() - t0);
            resolve();
          }),
        ),
    );
    await sleep(200);
    t0 = performance.now();
    await bareClients[0]!.put(`bare/${i}/key`).value('x');
    await Promise.all(seen);
    await Promise.all(watchers.map((watcher) => watcher.cancel()));
  }
  bareClients.forEach((client) => client.close());
  bareDelays.sort((a, b) => a - b);

  const puts: number[] = [];
  for (let i = 0; i < 200; i += 1) {
    const t = performance.now();
    await writer.put(`bench/put-${i % 10}`, String(i));
    puts.push(performance.now() - t);
  }
  for (const backend of [writer, ...watchers]) await backend.close();
  delays.sort((a, b) => a - b);
  registerTimes.sort((a, b) => a - b);
  return {
    p99: percentile(delays, 99),
    putP50: median(puts),
    bareP99: percentile(bareDelays, 99),
    registerP50: median(registerTimes),
    registerMax: registerTimes.at(-1)!,
  };
}

const { failovers, handovers } = await fleetdeckFailovers();
const bare = await bareFailovers();
const spread = await propagation();
await etcd.stop();

console.log(`# etcd-coordination (${machine()})`);
console.log(`3-member etcd on loopback, lease TTL ${TTL_SECONDS} s, ${KILLS} kills each, 3 candidates`);
console.log('| figure | Fleetdeck | baseline | difference / ratio | target |');
console.log('|---|---|---|---|---|');
console.log(
  `| failover after kill -9, median (ms) | ${fmt(median(failovers), 0)} | ${fmt(median(bare), 0)} bare etcd3 Election | +${fmt((median(failovers) - median(bare)) / 1000, 2)} s | ≤ +0.5 s |`,
);
console.log(`| failover after kill -9, max (ms) | ${fmt(max(failovers), 0)} | ${fmt(max(bare), 0)} | | |`);
console.log(
  `| resign hand-over, median / max (ms) | ${fmt(median(handovers), 0)} / ${fmt(max(handovers), 0)} | | | < 1000 |`,
);
console.log(
  `| membership propagation to ${WATCHERS} watchers, p99 (ms) | ${fmt(spread.p99, 1)} | ${fmt(spread.putP50, 2)} one put p50 | ${fmt(spread.p99 / spread.putP50, 1)}× | ≤ 5× |`,
);
console.log(
  `| the same fan-out to ${WATCHERS} bare etcd3 watchers, p99 (ms) | | ${fmt(spread.bareP99, 1)} | ${fmt(spread.p99 / spread.bareP99, 1)}× | |`,
);
console.log(
  `| of which register() itself (lease grant, keepalive stream, put), p50 / max (ms) | ${fmt(spread.registerP50, 1)} / ${fmt(spread.registerMax, 1)} | | | |`,
);
