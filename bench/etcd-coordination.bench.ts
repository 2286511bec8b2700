// Coordination on a real 3-member etcd (loopback):
// - failover after kill -9 of the leader: Fleetdeck agent processes (election with fencing) against processes
//   running the bare etcd3 `Election` recipe with the same lease TTL, both over 10 kills in this run;
// - graceful resign hand-over of Fleetdeck agents;
// - membership propagation: a new agent's registration seen by 100 watchers in child processes, against one etcd put.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { EtcdBackend } from '../electron/cluster/etcd/etcd-backend.js';
import { systemClock } from '../electron/core/clock.js';
import { FleetdeckClient, httpCall } from '../shared/client.js';
import { startAgentProcess, tempDir, type AgentProcess } from '../test/support/agent-process.js';
import { startEtcdCluster } from '../test/support/etcd-cluster.js';
import type { FromWatchers, ToWatchers, WatcherOptions } from './etcd-watchers.worker.js';
import { fmt, machine, percentile } from './support.js';

const TTL_SECONDS = 3;
const KILLS = 10;
const RESIGNS = 5;
const WATCHERS = 100;
// One watcher process per core: each core can run a watcher's event loop, while more processes than cores only
// add per-process CPU (see BENCHMARKS.md). BENCH_WATCHER_PROCESSES=N tries another split.
const WATCHER_PROCESSES = Math.min(WATCHERS, Number(process.env.BENCH_WATCHER_PROCESSES) || cpus().length);
const ROUNDS = 50; // timed registrations of each kind, after one untimed warm-up

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const max = (values: number[]) => Math.max(...values);
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

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
// The watchers live in WATCHER_PROCESSES child processes (bench/etcd-watchers.worker.ts), not in the writer's: in a
// fleet each watcher is an agent process of its own, whereas 100 watch streams delivered into one Node process make
// the last watcher wait for the JavaScript of the 99 before it. Each process reports when its watchers saw the
// member on performance.timeOrigin + now(), a clock the processes of one machine share (checked below). How much
// CPU each round takes, and whose, is read from /proc: on a small machine that, not the code, sets the figure.
// Each round is one agent's start: a fresh backend connects (as FleetMembership.join() does, told the lease
// TTL, so the lease is granted while connecting) and registers at once; the clock starts when register() is
// called, and the join figure adds the connect. Each round also times an agent whose connect() is not told
// the TTL (register() grants the lease itself, as before) and the same fan-out of one put to 100 bare etcd3
// watchers spread over the same processes: alternating, so that GC and background load fall on all of them alike.
// Round 0 warms the code paths up and is not counted; then ROUNDS timed rounds (100 deliveries each).
const now = () => performance.timeOrigin + performance.now();
const REPLY_TIMEOUT_MS = 10_000;
const START_TIMEOUT_MS = 60_000;

/** CPU time (ms) that the processes have run so far, all threads: /proc/<pid>/task/<tid>/schedstat (Linux). */
function cpuMs(pids: number[]): number {
  let ns = 0;
  for (const pid of pids) {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // the thread ended since the listing
      }
    }
  }
  return ns / 1e6;
}

function receive<K extends FromWatchers['type']>(
  child: ChildProcess,
  type: K,
  options: { id?: string; timeoutMs?: number } = {},
): Promise<Extract<FromWatchers, { type: K }>> {
  const timeoutMs = options.timeoutMs ?? REPLY_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', listener);
      reject(new Error(`watcher process ${child.pid}: no "${type}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (received: unknown) => {
      const message = received as FromWatchers;
      if (message.type !== type) return;
      if (options.id !== undefined && 'id' in message && message.id !== options.id) return;
      clearTimeout(timer);
      child.off('message', listener);
      resolve(message as Extract<FromWatchers, { type: K }>);
    };
    child.on('message', listener);
  });
}

async function startWatcherProcesses(count: number, processes: number) {
  const script = fileURLToPath(new URL('./etcd-watchers.worker.js', import.meta.url));
  const shares = Array.from(
    { length: processes },
    (_, i) => Math.floor((count * (i + 1)) / processes) - Math.floor((count * i) / processes),
  );
  const children = shares.map((share) => {
    const options: WatcherOptions = {
      endpoints: etcd.endpoints,
      cluster: 'propagation',
      count: share,
      barePrefix: 'bare/',
    };
    return fork(script, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  });
  await Promise.all(children.map((child) => receive(child, 'ready', { timeoutMs: START_TIMEOUT_MS })));
  const send = (child: ChildProcess, message: ToWatchers) => child.send(message);
  return {
    shares,
    pids: children.map((child) => child.pid!),
    /**
     * Names the next member (or bare key) to every process and waits until each has it; `seen` then resolves
     * with the time each of the watchers saw it.
     */
    async expect(kind: 'member' | 'bare', id: string): Promise<{ seen: Promise<number[]> }> {
      await Promise.all(
        children.map((child) => {
          const acknowledged = receive(child, 'expecting', { id });
          send(child, { type: 'expect', kind, id });
          return acknowledged;
        }),
      );
      const seen = Promise.all(children.map((child) => receive(child, 'seen', { id }))).then((reports) =>
        reports.flatMap((report) => report.at),
      );
      return { seen };
    },
    /**
     * How far each process's clock may be from this one's: from the fastest of 20 IPC round trips, the reading
     * in the child minus the round trip's midpoint, plus half the round trip. The largest over the processes.
     */
    async clockBound(): Promise<number> {
      let bound = 0;
      for (const child of children) {
        let best = { roundTrip: Infinity, offset: 0 };
        for (let i = 0; i < 20; i += 1) {
          const pong = receive(child, 'pong');
          const sent = now();
          send(child, { type: 'ping' });
          const { at } = await pong;
          const back = now();
          if (back - sent < best.roundTrip) best = { roundTrip: back - sent, offset: at - (sent + back) / 2 };
        }
        bound = Math.max(bound, Math.abs(best.offset) + best.roundTrip / 2);
      }
      return bound;
    },
    async stop(): Promise<void> {
      await Promise.all(
        children.map(async (child) => {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          const stopped = receive(child, 'stopped');
          send(child, { type: 'stop' });
          await stopped;
          await exited;
        }),
      );
    },
  };
}

async function propagation() {
  const make = () => new EtcdBackend({ endpoints: etcd.endpoints, cluster: 'propagation', clock: systemClock, logger });
  const watchers = await startWatcherProcesses(WATCHERS, WATCHER_PROCESSES);
  const { Etcd3 } = await import('etcd3');
  const writerClient = new Etcd3({ hosts: etcd.endpoints });
  const probe = make();
  await probe.connect();
  await sleep(1000); // every watch established before timing
  const clockBound = await watchers.clockBound();

  const kinds = { ahead: { leaseTtlSeconds: TTL_SECONDS }, own: {} };
  const etcdPids = etcd.members.map((member) => member.pid!);
  // Read before a round with the bench last and after it with the bench first, so that the bench's own figure
  // leaves out the reading.
  const cpuBefore = () => ({ etcd: cpuMs(etcdPids), watchers: cpuMs(watchers.pids), bench: cpuMs([process.pid]) });
  const cpuAfter = () => {
    const bench = cpuMs([process.pid]);
    return { etcd: cpuMs(etcdPids), watchers: cpuMs(watchers.pids), bench };
  };
  const timings = () => ({
    cpu: {
      etcd: [] as number[],
      watchers: [] as number[],
      bench: [] as number[],
      total: [] as number[],
      wall: [] as number[],
    },
    register: [] as number[],
    fromRegister: [] as number[],
    fromConnect: [] as number[],
    first: [] as number[],
    last: [] as number[],
  });
  const results = { ahead: timings(), own: timings(), bare: timings() };
  type Cpu = ReturnType<typeof cpuBefore>;
  const countCpu = (into: ReturnType<typeof timings>['cpu'], before: Cpu, after: Cpu, wall: number) => {
    into.etcd.push(after.etcd - before.etcd);
    into.watchers.push(after.watchers - before.watchers);
    into.bench.push(after.bench - before.bench);
    into.total.push(after.etcd + after.watchers + after.bench - before.etcd - before.watchers - before.bench);
    into.wall.push(wall);
  };
  let warmUpLast = 0;
  for (let i = 0; i <= ROUNDS; i += 1) {
    for (const kind of ['ahead', 'own'] as const) {
      const id = `prop-${kind}-${i}`;
      const writer = make();
      const connectStarted = now();
      await writer.connect(kinds[kind]);
      const { seen } = await watchers.expect('member', id);
      const cpuStart = cpuBefore();
      const registerStarted = now();
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
      const registered = now() - registerStarted;
      const delays = (await seen).map((at) => at - registerStarted);
      const wall = now() - registerStarted;
      const cpuEnd = cpuAfter();
      if (i === 0 && kind === 'ahead') warmUpLast = max(delays);
      if (i > 0) {
        const result = results[kind];
        countCpu(result.cpu, cpuStart, cpuEnd, wall);
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
    const { seen } = await watchers.expect('bare', key);
    const cpuStart = cpuBefore();
    const putStarted = now();
    await writerClient.put(key).value('x');
    const delays = (await seen).map((at) => at - putStarted);
    const wall = now() - putStarted;
    const cpuEnd = cpuAfter();
    if (i > 0) {
      countCpu(results.bare.cpu, cpuStart, cpuEnd, wall);
      results.bare.fromRegister.push(...delays);
      results.bare.first.push(Math.min(...delays));
      results.bare.last.push(max(delays));
    }
    await sleep(100);
  }
  writerClient.close();
  // The unit: one plain put, back to back, while the watchers idle.
  const puts: number[] = [];
  for (let i = 0; i < 200; i += 1) {
    const t = performance.now();
    await probe.put(`bench/put-${i % 10}`, String(i));
    puts.push(performance.now() - t);
  }
  await probe.close();
  await watchers.stop();
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
    // CPU (ms) that one round took, from the write until the last watcher saw it: means, so that they add up.
    cpu: {
      etcd: mean(result.cpu.etcd),
      watchers: mean(result.cpu.watchers),
      bench: mean(result.cpu.bench),
      total: mean(result.cpu.total),
      wall: mean(result.cpu.wall),
    },
  });
  return {
    ahead: summary(results.ahead),
    own: summary(results.own),
    bare: summary(results.bare),
    putP50: median(puts),
    puts: puts.length,
    warmUpLast,
    shares: watchers.shares,
    clockBound,
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
const { ahead, own, bare: floor, putP50 } = spread;
const processes = `${spread.shares.length} process${spread.shares.length === 1 ? '' : 'es'}`;
const inProcesses = `${WATCHERS} watchers in ${processes}`;
const perPut = (value: number) => `${fmt(value / putP50, 1)}×`;
const PROPAGATION_TARGET = 5;
const verdict = ahead.p99 / putP50 <= PROPAGATION_TARGET ? 'met' : 'missed';
console.log(
  `| membership propagation to ${inProcesses}: register() → seen, p99 (ms) | ${fmt(ahead.p99, 1)} | ${fmt(putP50, 2)} one put p50 | ${perPut(ahead.p99)} | ≤ ${PROPAGATION_TARGET}× (${verdict}) |`,
);
console.log(
  `| the same fan-out of one put to ${WATCHERS} bare etcd3 watchers in the same processes, p99 (ms) | | ${fmt(floor.p99, 1)} (${perPut(floor.p99)} a put) | ${fmt(ahead.p99 / floor.p99, 1)}× bare | |`,
);
console.log(
  `| first / last of the ${WATCHERS} watchers to see it, median (ms) | ${fmt(ahead.firstP50, 1)} / ${fmt(ahead.lastP50, 1)} | ${fmt(floor.firstP50, 1)} / ${fmt(floor.lastP50, 1)} bare etcd3 | ${perPut(ahead.firstP50)} / ${perPut(ahead.lastP50)} a put | |`,
);
console.log(
  `| register() itself: one put into the lease granted at connect, p50 / max (ms) | ${fmt(ahead.registerP50, 1)} / ${fmt(ahead.registerMax, 1)} | | ${perPut(ahead.registerP50)} a put (p50) | |`,
);
console.log(
  `| register() granting its own lease (as before): → seen p99; register() p50 / max (ms) | ${fmt(own.p99, 1)}; ${fmt(own.registerP50, 1)} / ${fmt(own.registerMax, 1)} | | ${perPut(own.p99)} | |`,
);
console.log(
  `| join (connect + register) → seen, p99 (ms) | ${fmt(ahead.joinP99, 1)} | ${fmt(own.joinP99, 1)} granting in register() | ${fmt(ahead.joinP99 - own.joinP99, 1)} ms | |`,
);
const cores = cpus().length;
const cpuCell = ({ cpu }: typeof ahead) =>
  `${fmt(cpu.etcd, 1)} + ${fmt(cpu.watchers, 1)} + ${fmt(cpu.bench, 1)} = ${fmt(cpu.total, 1)} in ${fmt(cpu.wall, 1)}`;
console.log(
  `| CPU one round takes, write → seen by all, mean (ms): etcd + watcher processes + bench = total in wall time | ${cpuCell(ahead)} | ${cpuCell(floor)} bare etcd3 | ${fmt(ahead.cpu.total, 1)} ÷ ${cores} cores = ${fmt(ahead.cpu.total / cores, 1)} ms, ${perPut(ahead.cpu.total / cores)} a put; ${fmt(ahead.cpu.total / ahead.cpu.wall, 1)} of ${cores} cores busy | |`,
);
console.log(
  `(propagation: watchers in ${processes} of ${spread.shares.join('/')}, their clocks within ±${fmt(spread.clockBound, 3)} ms of the bench's; ${ROUNDS} timed rounds after one warm-up round, ${ahead.samples} deliveries per kind, ${spread.puts} puts; last watcher in the warm-up round: ${fmt(spread.warmUpLast, 1)} ms)`,
);
