// Coordination on a real 3-member etcd (loopback):
// - failover after kill -9 of the leader: Fleetdeck agent processes (election with fencing) against processes
//   running the bare etcd3 `Election` recipe with the same lease TTL, both over 10 kills in this run;
// - graceful resign hand-over of Fleetdeck agents;
// - membership propagation: a new agent's registration seen by 100 watchers, against one etcd put.
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
const ROUNDS = 50; // timed registrations of each kind, after one untimed warm-up

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

// --- Propagation: a new member's registration seen by 100 watching backends; baseline one plain etcd put.
// Each round is one agent's start: a fresh backend connects (as FleetMembership.join() does, told the lease
// TTL, so the lease is granted while connecting) and registers at once; the clock starts when register() is
// called, and the join figure adds the connect. Each round also times an agent whose connect() is not told
// the TTL (register() grants the lease itself, as before) and the same fan-out of one put to 100 bare etcd3
// watchers: alternating, so that GC and background load fall on all of them alike.
// Round 0 warms the code paths up and is not counted; then ROUNDS timed rounds (100 deliveries each).
async function propagation() {
  const make = () => new EtcdBackend({ endpoints: etcd.endpoints, cluster: 'propagation', clock: systemClock, logger });
  const watchers = await Promise.all(
    Array.from({ length: WATCHERS }, async () => {
      const backend = make();
      await backend.connect();
      return backend;
    }),
  );
  // One standing watch per watcher for the whole run; each round times one new member reaching all of them.
  let round: { id: string; t0: number; delays: number[]; seen: Set<number>; done: () => void } | null = null;
  const startRound = (id: string) => {
    const delays: number[] = [];
    const allSeen = new Promise<void>((done) => {
      round = { id, t0: performance.now(), delays, seen: new Set(), done };
    });
    return { delays, allSeen };
  };
  const seen = (index: number, id: string) => {
    const current = round;
    if (!current || current.id !== id || current.seen.has(index)) return;
    current.seen.add(index);
    current.delays.push(performance.now() - current.t0);
    if (current.seen.size === WATCHERS) current.done();
  };
  watchers.forEach((watcher, index) =>
    watcher.watchMembers((members) => {
      const id = round?.id;
      if (id && members.some((m) => m.record.id === id)) seen(index, id);
    }),
  );
  // The floor on this machine: 100 standing bare etcd3 prefix watchers (no decoding, no member list).
  const { Etcd3 } = await import('etcd3');
  const bareClients = Array.from({ length: WATCHERS }, () => new Etcd3({ hosts: etcd.endpoints }));
  const bareWatchers = await Promise.all(bareClients.map((client) => client.watch().prefix('bare/').create()));
  bareWatchers.forEach((watcher, index) => watcher.on('put', (kv) => seen(index, kv.key.toString())));
  const probe = make();
  await probe.connect();
  await sleep(1000); // every watch established before timing

  const kinds = { ahead: { leaseTtlSeconds: TTL_SECONDS }, own: {} };
  const timings = () => ({
    register: [] as number[],
    fromRegister: [] as number[],
    fromConnect: [] as number[],
    first: [] as number[],
    last: [] as number[],
  });
  const results = { ahead: timings(), own: timings(), bare: timings() };
  let warmUpLast = 0;
  for (let i = 0; i <= ROUNDS; i += 1) {
    for (const kind of ['ahead', 'own'] as const) {
      const id = `prop-${kind}-${i}`;
      const writer = make();
      const connectStarted = performance.now();
      await writer.connect(kinds[kind]);
      const registerStarted = performance.now();
      const { delays, allSeen } = startRound(id);
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
      const registered = performance.now() - registerStarted;
      await allSeen;
      round = null;
      if (i === 0 && kind === 'ahead') warmUpLast = max(delays);
      if (i > 0) {
        const result = results[kind];
        result.register.push(registered);
        result.fromRegister.push(...delays);
        result.fromConnect.push(...delays.map((d) => d + (registerStarted - connectStarted)));
        result.first.push(Math.min(...delays));
        result.last.push(max(delays));
      }
      await registration.revoke();
      await writer.close();
      await sleep(100);
    }
    const key = `bare/${i}`;
    const { delays, allSeen } = startRound(key);
    await bareClients[0]!.put(key).value('x');
    await allSeen;
    round = null;
    if (i > 0) {
      results.bare.fromRegister.push(...delays);
      results.bare.first.push(Math.min(...delays));
      results.bare.last.push(max(delays));
    }
    await sleep(100);
  }
  await Promise.all(bareWatchers.map((watcher) => watcher.cancel()));
  bareClients.forEach((client) => client.close());
  // The unit: one plain put, back to back, while the watchers idle.
  const puts: number[] = [];
  for (let i = 0; i < 200; i += 1) {
    const t = performance.now();
    await probe.put(`bench/put-${i % 10}`, String(i));
    puts.push(performance.now() - t);
  }
  for (const backend of [probe, ...watchers]) await backend.close();
  const p99 = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      99,
    );
  const summary = (result: ReturnType<typeof timings>) => ({
    p99: p99(result.fromRegister),
    joinP99: p99(result.fromConnect),
    registerP50: median(result.register),
    registerMax: result.register.length > 0 ? max(result.register) : NaN,
    firstP50: median(result.first),
    lastP50: median(result.last),
    samples: result.fromRegister.length,
  });
  return {
    ahead: summary(results.ahead),
    own: summary(results.own),
    bare: summary(results.bare),
    putP50: median(puts),
    puts: puts.length,
    warmUpLast,
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
const { ahead, own, bare: floor } = spread;
console.log(
  `| membership propagation to ${WATCHERS} watchers: register() → seen, p99 (ms) | ${fmt(ahead.p99, 1)} | ${fmt(spread.putP50, 2)} one put p50 | ${fmt(ahead.p99 / spread.putP50, 1)}× | ≤ 5× |`,
);
console.log(
  `| the same fan-out of one put to ${WATCHERS} bare etcd3 watchers, p99 (ms) | | ${fmt(floor.p99, 1)} | ${fmt(ahead.p99 / floor.p99, 1)}× | |`,
);
console.log(
  `| first / last of the ${WATCHERS} watchers to see it, median (ms) | ${fmt(ahead.firstP50, 1)} / ${fmt(ahead.lastP50, 1)} | ${fmt(floor.firstP50, 1)} / ${fmt(floor.lastP50, 1)} bare etcd3 | | |`,
);
console.log(
  `| register() itself: one put into the lease granted at connect, p50 / max (ms) | ${fmt(ahead.registerP50, 1)} / ${fmt(ahead.registerMax, 1)} | | | |`,
);
console.log(
  `| register() granting its own lease (as before): → seen p99; register() p50 / max (ms) | ${fmt(own.p99, 1)}; ${fmt(own.registerP50, 1)} / ${fmt(own.registerMax, 1)} | | ${fmt(own.p99 / spread.putP50, 1)}× | |`,
);
console.log(
  `| join (connect + register) → seen, p99 (ms) | ${fmt(ahead.joinP99, 1)} | ${fmt(own.joinP99, 1)} granting in register() | ${fmt(ahead.joinP99 - own.joinP99, 1)} ms | |`,
);
console.log(
  `(propagation: ${ROUNDS} timed rounds after one warm-up round, ${ahead.samples} deliveries per kind, ${spread.puts} puts; last watcher in the warm-up round: ${fmt(spread.warmUpLast, 1)} ms)`,
);
