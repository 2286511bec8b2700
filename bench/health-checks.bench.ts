// 2,000 HTTP checks every 5 s from one agent against a loopback server in another process: achieved rate
// against the ideal, schedule lag against the interval, event-loop lag under load against the same agent idle,
// the agent's CPU and memory, and what /metrics costs with that many checks.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import type { Histogram } from 'prom-client';
import { runAgent } from '../electron/agent/run-agent.js';
import { AgentConfig } from '../shared/config.js';
import { fmt, machine, percentile } from './support.js';

const CHECKS = 2000;
const INTERVAL_MS = 5000;
const WARMUP_MS = 2 * INTERVAL_MS;
const WINDOW_MS = 30_000;
const IDLE_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The target runs in its own process so its work does not count as the agent's.
const target = spawn(
  process.execPath,
  [
    '-e',
    `const s = require('node:http').createServer((q, r) => r.end('ok'));
     s.keepAliveTimeout = 30000;
     s.listen(0, '127.0.0.1', () => console.log(s.address().port));`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const port = await new Promise<number>((resolve) => target.stdout.once('data', (d: Buffer) => resolve(Number(d))));

const running = await runAgent(
  AgentConfig.parse({
    name: 'bench',
    dataDir: mkdtempSync(join(tmpdir(), 'fleetdeck-bench-')),
    api: { port: 0 },
    resources: { intervalMs: 5000 },
    log: { level: 'warn' },
  }),
  { logger: pino({ level: 'warn' }), rendererDir: null },
);
const { metrics } = running.agent;

const loopDelayP99 = async (ms: number) => {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await sleep(ms);
  histogram.disable();
  return histogram.percentile(99) / 1e6;
};
const idleLoopP99 = await loopDelayP99(IDLE_MS);

const yaml = JSON.stringify(
  Array.from({ length: CHECKS }, (_, i) => ({
    id: `svc-${i}`,
    name: `Service ${i}`,
    checks: [
      { name: 'http', type: 'http', url: `http://127.0.0.1:${port}/health`, intervalMs: INTERVAL_MS, timeoutMs: 2000 },
    ],
  })),
);
const imported = await running.call('services.import', { yaml }, { transport: 'ipc', remote: null });
if (!imported.ok) throw new Error(`import failed: ${imported.error.message}`);
await sleep(WARMUP_MS);

const runs = async () => (await metrics.checkRuns.get()).values.reduce((sum, v) => sum + v.value, 0);
const lagBuckets = async () => (await (metrics.checkLag as Histogram).get()).values;
const runsBefore = await runs();
const lagBefore = await lagBuckets();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const loadLoopP99 = await loopDelayP99(WINDOW_MS);
const elapsedS = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const achieved = ((await runs()) - runsBefore) / elapsedS;
const rss = process.memoryUsage().rss;

// p99 of the schedule lag from the histogram's cumulative buckets over the window (as histogram_quantile would).
const lagAfter = await lagBuckets();
const bucketDelta = lagAfter
  .filter((v) => v.metricName === 'fleetdeck_check_schedule_lag_seconds_bucket')
  .map((v) => ({
    le: Number(v.labels.le === '+Inf' ? Infinity : v.labels.le),
    count: v.value - (lagBefore.find((b) => b.metricName === v.metricName && b.labels.le === v.labels.le)?.value ?? 0),
  }));
const total = bucketDelta.at(-1)!.count;
const lagP99Bucket = bucketDelta.find((b) => b.count >= 0.99 * total)!;
const lagP99Ms = lagP99Bucket.le * 1000;

const serialise: number[] = [];
let body = '';
for (let i = 0; i < 20; i += 1) {
  const t = performance.now();
  body = await metrics.registry.metrics();
  serialise.push(performance.now() - t);
}
serialise.sort((a, b) => a - b);

const ideal = CHECKS / (INTERVAL_MS / 1000);
console.log(`# health-checks (${machine()})`);
console.log(
  `${CHECKS} HTTP checks every ${INTERVAL_MS / 1000} s against a loopback server in another process, ${WINDOW_MS / 1000} s window`,
);
console.log('| figure | value | baseline | ratio | target |');
console.log('|---|---|---|---|---|');
console.log(
  `| checks/s achieved | ${fmt(achieved, 1)} | ${fmt(ideal, 1)} ideal | ${fmt(achieved / ideal, 3)} | ≥ 0.95 |`,
);
console.log(
  `| schedule lag p99 (ms, histogram bucket bound) | ≤ ${fmt(lagP99Ms, 0)} | ${INTERVAL_MS} interval | ≤ ${fmt((lagP99Ms / INTERVAL_MS) * 100, 1)} % | ≤ 5 % |`,
);
console.log(
  `| event-loop delay p99 (ms) | ${fmt(loadLoopP99, 1)} under load | ${fmt(idleLoopP99, 1)} idle | ${fmt(loadLoopP99 / idleLoopP99)}× | ≤ 3× |`,
);
console.log(`| agent CPU (% of one core) | ${fmt(((cpu.user + cpu.system) / 1e6 / elapsedS) * 100, 1)} | | | |`);
console.log(`| agent RSS (MiB) | ${fmt(rss / 2 ** 20, 0)} | | | |`);
console.log(
  `| /metrics serialisation p50 (ms) | ${fmt(percentile(serialise, 50), 1)} | body ${fmt(body.length / 1024, 0)} KiB | | |`,
);

await running.stop();
target.kill();
