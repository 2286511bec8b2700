// Fleet tasks on a real 3-member etcd (loopback) with 3 agent processes:
// - submit → start latency of a fleet task (target `any`, idle fleet), as a multiple of one etcd put's p50 measured
//   in the same run (a fleet task costs the record's create, the leader's assignment, the member's take: 3 writes
//   and 2 watch deliveries before the worker starts it);
// - placement throughput: N tasks submitted `any` with C concurrent callers until all succeeded, against N raw etcd3
//   puts with the same concurrency.
import { Etcd3 } from 'etcd3';
import { fleetKeys } from '../electron/cluster/fleet-keys.js';
import { FleetdeckClient, httpCall } from '../shared/client.js';
import type { FleetTaskRecord } from '../shared/tasks.js';
import { startAgentProcess } from '../test/support/agent-process.js';
import { startEtcdCluster } from '../test/support/etcd-cluster.js';
import { fmt, machine, percentile } from './support.js';

const CLUSTER = 'bench-tasks';
const LATENCY_ROUNDS = 100;
const TASKS = 300;
const CONCURRENCY = 16;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
/** Throws naming `what` once `ms` have passed since `since` (a bench stops by itself, also when tasks are lost). */
const within = (what: string, since: number, ms: number) => {
  if (performance.now() - since > ms) throw new Error(`gave up after ${ms} ms waiting for ${what}`);
};

const etcd = await startEtcdCluster({ members: 3 });
const raw = new Etcd3({ hosts: etcd.endpoints });
const agents = [];
for (const id of ['f1', 'f2', 'f3']) {
  agents.push(
    await startAgentProcess({
      args: [
        ...['--backend', 'etcd', '--etcd-endpoints', etcd.endpoints.join(','), '--cluster', CLUSTER],
        ...['--lease-ttl', '3', '--node-id', id],
      ],
      env: { FLEETDECK_LOG_LEVEL: 'warn' },
      config: { tasks: { concurrency: 16 } },
    }),
  );
}
const clients = agents.map(
  (agent) => new FleetdeckClient({ call: (m, p) => httpCall(agent.url, m, p), subscribe: () => () => {} }),
);
const [first] = clients as [FleetdeckClient];

try {
  // The fleet is ready once every member published a summary (placement reads them).
  const joining = performance.now();
  for (;;) {
    within('three members with summaries', joining, 60_000);
    const members = await first.call('cluster.members', {});
    if (members.length === 3 && members.every((m) => m.summary?.tasks.types)) break;
    await sleep(100);
  }

  // 1. One etcd put, sequential.
  const putMs: number[] = [];
  for (let i = 0; i < 200; i += 1) {
    const begun = performance.now();
    await raw.put(`bench/put/${i % 10}`).value('x'.repeat(400));
    putMs.push(performance.now() - begun);
  }
  const putP50 = percentile(sorted(putMs), 50);

  // 2. Submit → start: wall-clock submit time against the attempt's start as the running node recorded it.
  const latencies: number[] = [];
  for (let i = 0; i < LATENCY_ROUNDS; i += 1) {
    const via = clients[i % clients.length]!;
    const submittedAt = Date.now();
    const { id } = await via.call('tasks.submit', { type: 'sleep', payload: { ms: 0 }, target: 'any' });
    const waiting = performance.now();
    for (;;) {
      within(`task ${id} to succeed`, waiting, 30_000);
      const task = await via.call('tasks.get', { id });
      if (task.state === 'succeeded') {
        latencies.push(task.attempts[0]!.startedAt - submittedAt);
        break;
      }
      await sleep(5);
    }
  }
  const latency = sorted(latencies);

  // 3. Throughput: TASKS submitted by CONCURRENCY callers, until every record says succeeded.
  // Read without the schema, and not too often: this process shares the machine's cores with the fleet.
  const doneCount = async () =>
    Object.values(
      await raw
        .getAll()
        .prefix(`${fleetKeys(CLUSTER).kv}tasks/fleet/`)
        .strings(),
    ).filter((value) => (JSON.parse(value) as Partial<FleetTaskRecord>).final?.state === 'succeeded').length;
  const baseline = await doneCount();
  let next = 0;
  const begun = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      while (next < TASKS) {
        next += 1;
        await clients[worker % clients.length]!.call('tasks.submit', {
          type: 'sleep',
          payload: { ms: 0 },
          target: 'any',
          strategy: 'least-connections',
        });
      }
    }),
  );
  while ((await doneCount()) < baseline + TASKS) {
    within(`${TASKS} fleet tasks to succeed`, begun, 300_000);
    await sleep(100);
  }
  const fleetRate = TASKS / ((performance.now() - begun) / 1000);

  let put = 0;
  const putBegun = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (put < TASKS) {
        put += 1;
        await raw.put(`bench/raw/${put}`).value('x'.repeat(400));
      }
    }),
  );
  const putRate = TASKS / ((performance.now() - putBegun) / 1000);

  console.log(`fleet-queue — ${machine()}; 3-member etcd, 3 agent processes, all on loopback`);
  console.log(`  etcd put p50                         ${fmt(putP50)} ms`);
  console.log(
    `  submit → start (fleet, any)          p50 ${fmt(percentile(latency, 50))} ms (${fmt(percentile(latency, 50) / putP50)} × put p50), p99 ${fmt(percentile(latency, 99))} ms (${fmt(percentile(latency, 99) / putP50)} × put p50)`,
  );
  console.log(
    `  placement throughput (${TASKS} tasks, ${CONCURRENCY} callers)  ${fmt(fleetRate)} tasks/s submit → succeeded; raw etcd3 puts ${fmt(putRate)}/s; ratio ${fmt(fleetRate / putRate)}`,
  );
} finally {
  raw.close();
  for (const agent of agents) await agent.stop('SIGKILL');
  await etcd.stop();
}
