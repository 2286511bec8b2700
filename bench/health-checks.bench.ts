// HTTP checks every 5 s from one agent against a loopback server in another process, at 10,000 checks (2,000/s)
// beside today's 2,000 (400/s) in the same run: achieved rate against the ideal, schedule lag against the interval,
// event-loop delay under load against the same agent idle, the agent's CPU and memory, whether the history keeps up
// (results stored against runs counted, age of the newest stored result), and what /metrics costs.
// HEALTH_BENCH_SIZES=2000,10000 picks the sizes (the first is the baseline); each adds services to the previous.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pino from 'pino';
import type { Histogram } from 'prom-client';
import { runAgent } from '../electron/agent/run-agent.js';
import { AgentConfig } from '../shared/config.js';
import { methods } from '../shared/rpc.js';
import { fmt, machine, percentile } from './support.js';

const SIZES = (process.env.HEALTH_BENCH_SIZES ?? '2000,10000').split(',').map(Number);
const INTERVAL_MS = 5000;
const WARMUP_MS = 2 * INTERVAL_MS;
const WINDOW_MS = 30_000;
const IDLE_MS = 10_000;
const IMPORT_BATCH = 2000;
/** The whole run's limit: a stuck agent must not keep the bench (and its target process) alive. */
const BENCH_LIMIT_MS = 60_000 + SIZES.length * 3 * (WARMUP_MS + WINDOW_MS);

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
process.on('exit', () => target.kill());
setTimeout(() => {
  console.error(`health-checks bench: still running after ${BENCH_LIMIT_MS / 1000} s, giving up`);
  process.exit(1);
}, BENCH_LIMIT_MS).unref();
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
// A second connection on the agent's database file, as an operator's sqlite3 would read it.
const reader = new Database(running.agent.dataFile, { readonly: true });
const newestStored = reader.prepare<[], { at: number | null }>('SELECT max(at) AS at FROM check_results');
const storedBetween = reader.prepare<[number, number], { n: number }>(
  'SELECT count(*) AS n FROM check_results WHERE at >= ? AND at < ?',
);

const loopDelayP99 = async (ms: number) => {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await sleep(ms);
  histogram.disable();
  return histogram.percentile(99) / 1e6;
};

const runs = async () => (await metrics.checkRuns.get()).values.reduce((sum, v) => sum + v.value, 0);
const lagBuckets = async () => (await (metrics.checkLag as Histogram).get()).values;

/** p99 of the schedule lag from the histogram's cumulative buckets over a window (as histogram_quantile would). */
const lagP99Ms = (before: Awaited<ReturnType<typeof lagBuckets>>, after: Awaited<ReturnType<typeof lagBuckets>>) => {
  const buckets = after
    .filter((v) => v.metricName === 'fleetdeck_check_schedule_lag_seconds_bucket')
    .map((v) => ({
      le: v.labels.le === '+Inf' ? Infinity : Number(v.labels.le),
      count: v.value - (before.find((b) => b.metricName === v.metricName && b.labels.le === v.labels.le)?.value ?? 0),
    }));
  const total = buckets.at(-1)!.count;
  return buckets.find((b) => b.count >= 0.99 * total)!.le * 1000;
};

/** Polls until the history holds a result at or after `at`; false at the deadline. */
const storedSince = async (at: number, deadlineMs: number) => {
  const deadline = performance.now() + deadlineMs;
  while (performance.now() < deadline) {
    if ((newestStored.get()?.at ?? 0) >= at) return true;
    await sleep(50);
  }
  return false;
};

interface Figures {
  checks: number;
  ideal: number;
  achieved: number;
  lagP99Ms: number;
  loopP99Ms: number;
  cpuPercent: number;
  rssMiB: number;
  storedShare: number;
  newestAgeMs: number;
  metricsP50Ms: number;
  metricsKiB: number;
  signals: SignalFigures | null;
}

interface SignalFigures {
  sampled: number;
  /** Sampled services whose last whole minute's throughput is the runs its check made. */
  exact: number;
  /** The sampled services' throughput of that minute, lowest first (null: none stored). */
  values: Array<number | null>;
  readP50Ms: number;
}

const SIGNAL_SAMPLE = 100;
/** The history is written every 500 ms. */
const HISTORY_FLUSH_MARGIN_MS = 1500;
/** Services and when their import finished: a check imported at T runs every interval from T + [0, interval). */
const importedAt: Array<{ from: number; to: number; at: number }> = [];

/**
 * The throughput signal (services.signals, what the service's chart and anomaly detection read) of the first whole
 * minute every service imported so far ran through (waited for, the load still on): a check every 5 s makes 12 runs
 * a minute.
 */
async function sampleSignals(): Promise<SignalFigures> {
  const minute = Math.ceil((importedAt.at(-1)!.at + INTERVAL_MS) / 60_000) * 60_000;
  await sleep(Math.max(0, minute + 60_000 + HISTORY_FLUSH_MARGIN_MS - Date.now()));
  const ids = importedAt.flatMap((batch) => Array.from({ length: batch.to - batch.from }, (_, i) => batch.from + i));
  const sample = Array.from(
    { length: SIGNAL_SAMPLE },
    (_, i) => `svc-${ids[Math.floor((i * ids.length) / SIGNAL_SAMPLE)]}`,
  );
  const reads: number[] = [];
  let exact = 0;
  const values: Array<number | null> = [];
  for (const serviceId of sample) {
    const t = performance.now();
    const answer = await running.call(
      'services.signals',
      { serviceId, signal: 'throughput', rangeMs: 15 * 60_000 },
      { transport: 'ipc', remote: null },
    );
    reads.push(performance.now() - t);
    if (!answer.ok) throw new Error(`services.signals failed: ${answer.error.message}`);
    const { signals } = methods['services.signals'].response.parse(answer.result);
    const point = signals[0]?.points.find((p) => p.at === minute);
    if (point?.value === 60_000 / INTERVAL_MS) exact += 1;
    values.push(point?.value ?? null);
  }
  reads.sort((a, b) => a - b);
  values.sort((a, b) => (a ?? -1) - (b ?? -1));
  return { sampled: sample.length, exact, values, readP50Ms: percentile(reads, 50) };
}

const servicesYaml = (from: number, to: number) =>
  JSON.stringify(
    Array.from({ length: to - from }, (_, i) => ({
      id: `svc-${from + i}`,
      name: `Service ${from + i}`,
      checks: [
        {
          name: 'http',
          type: 'http',
          url: `http://127.0.0.1:${port}/health`,
          intervalMs: INTERVAL_MS,
          timeoutMs: 2000,
        },
      ],
    })),
  );

async function measure(checks: number): Promise<Figures> {
  const runsBefore = await runs();
  const lagBefore = await lagBuckets();
  const cpuBefore = process.cpuUsage();
  const startedAt = Date.now();
  const started = performance.now();
  const loopP99Ms = await loopDelayP99(WINDOW_MS);
  const elapsedS = (performance.now() - started) / 1000;
  const endedAt = Date.now();
  const cpu = process.cpuUsage(cpuBefore);
  const counted = (await runs()) - runsBefore;
  const lagAfter = await lagBuckets();
  const newestAgeMs = endedAt - (newestStored.get()?.at ?? 0);
  if (!(await storedSince(endedAt, 5000))) throw new Error('the history stopped being written');
  const stored = storedBetween.get(startedAt, endedAt)?.n ?? 0;
  const rss = process.memoryUsage().rss;
  const signals = checks === SIZES.at(-1) ? await sampleSignals() : null;

  const serialise: number[] = [];
  let body = '';
  for (let i = 0; i < 20; i += 1) {
    const t = performance.now();
    body = await metrics.registry.metrics();
    serialise.push(performance.now() - t);
  }
  serialise.sort((a, b) => a - b);
  return {
    checks,
    ideal: checks / (INTERVAL_MS / 1000),
    achieved: counted / elapsedS,
    lagP99Ms: lagP99Ms(lagBefore, lagAfter),
    loopP99Ms,
    cpuPercent: ((cpu.user + cpu.system) / 1e6 / elapsedS) * 100,
    rssMiB: rss / 2 ** 20,
    storedShare: stored / counted,
    newestAgeMs,
    metricsP50Ms: percentile(serialise, 50),
    metricsKiB: body.length / 1024,
    signals,
  };
}

const idleLoopP99 = await loopDelayP99(IDLE_MS);
const results: Figures[] = [];
let imported = 0;
for (const size of SIZES) {
  // services.import takes at most 1 MB of YAML: a few thousand services a call.
  for (; imported < size; imported = Math.min(size, imported + IMPORT_BATCH)) {
    const to = Math.min(size, imported + IMPORT_BATCH);
    const answer = await running.call(
      'services.import',
      { yaml: servicesYaml(imported, to) },
      { transport: 'ipc', remote: null },
    );
    if (!answer.ok) throw new Error(`import failed: ${answer.error.message}`);
    importedAt.push({ from: imported, to, at: Date.now() });
  }
  await sleep(WARMUP_MS);
  results.push(await measure(size));
}

const baseline = results[0]!;
const subject = results.at(-1)!;
const columns = results.map((r) => `${r.checks.toLocaleString('en')} checks`);
const row = (figure: string, values: string[], ratio: string, target: string) =>
  console.log(`| ${figure} | ${values.join(' | ')} | ${ratio} | ${target} |`);
const verdict = (met: boolean, target: string) => (met ? target : `${target} **(missed)**`);

console.log(`# health-checks (${machine()})`);
console.log(
  `HTTP checks every ${INTERVAL_MS / 1000} s against a loopback server in another process, ${WINDOW_MS / 1000} s window per size; idle event-loop delay p99 ${fmt(idleLoopP99, 1)} ms`,
);
console.log(`| figure | ${columns.join(' | ')} | ratio ${subject.checks} / ${baseline.checks} | target (largest) |`);
console.log(`|---|${results.map(() => '---|').join('')}---|---|`);
row(
  'checks/s achieved (÷ ideal)',
  results.map((r) => `${fmt(r.achieved, 1)} (${fmt(r.achieved / r.ideal, 3)})`),
  fmt(subject.achieved / baseline.achieved),
  verdict(subject.achieved / subject.ideal >= 0.95, '≥ 0.95 of ideal'),
);
row(
  'schedule lag p99 (ms, histogram bucket bound; % of interval)',
  results.map((r) => `≤ ${fmt(r.lagP99Ms, 0)} (${fmt((r.lagP99Ms / INTERVAL_MS) * 100, 1)} %)`),
  '',
  verdict(subject.lagP99Ms <= 0.05 * INTERVAL_MS, '≤ 5 %'),
);
row(
  'event-loop delay p99 (ms; × idle)',
  results.map((r) => `${fmt(r.loopP99Ms, 1)} (${fmt(r.loopP99Ms / idleLoopP99)}×)`),
  fmt(subject.loopP99Ms / baseline.loopP99Ms),
  verdict(subject.loopP99Ms <= 3 * idleLoopP99, '≤ 3× idle'),
);
row(
  'agent CPU (% of one core)',
  results.map((r) => fmt(r.cpuPercent, 1)),
  fmt(subject.cpuPercent / baseline.cpuPercent),
  '',
);
row(
  'agent RSS (MiB)',
  results.map((r) => fmt(r.rssMiB, 0)),
  fmt(subject.rssMiB / baseline.rssMiB),
  '',
);
row(
  'history: results stored ÷ runs counted in the window',
  results.map((r) => fmt(r.storedShare, 3)),
  '',
  verdict(subject.storedShare >= 0.99, '≥ 0.99'),
);
row(
  'history: age of the newest stored result at the window end (ms)',
  results.map((r) => fmt(r.newestAgeMs, 0)),
  '',
  '',
);
row(
  `service signals: sampled services whose last whole minute's throughput is ${60_000 / INTERVAL_MS} runs`,
  results.map((r) =>
    r.signals
      ? `${r.signals.exact} / ${r.signals.sampled} (lowest ${String(r.signals.values[0])}, median ${String(r.signals.values[r.signals.values.length >> 1])})`
      : '',
  ),
  '',
  verdict(subject.signals !== null && subject.signals.exact === subject.signals.sampled, 'all'),
);
row(
  'service signals: services.signals read p50 (ms)',
  results.map((r) => (r.signals ? fmt(r.signals.readP50Ms, 1) : '')),
  '',
  '',
);
row(
  '/metrics serialisation p50 (ms; body KiB)',
  results.map((r) => `${fmt(r.metricsP50Ms, 1)} (${fmt(r.metricsKiB, 0)} KiB)`),
  fmt(subject.metricsP50Ms / baseline.metricsP50Ms),
  '',
);

reader.close();
await running.stop();
target.kill();
