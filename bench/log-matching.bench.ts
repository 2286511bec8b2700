// Log matching: lines/s through the match worker thread (what the scanner does: 64 KB batches, posted and answered)
// against matching the same lines in the calling thread, and the event loop's longest stall meanwhile.
// Needs dist/electron/log-match-worker.mjs (`npm run bench` builds first).
import pino from 'pino';
import { systemClock } from '../electron/core/clock.js';
import { compilePattern } from '../electron/logs/compile-pattern.js';
import { batchesOf } from '../electron/logs/log-scanner.js';
import { MatchWorker } from '../electron/logs/match-worker.js';
import { fmt, machine } from './support.js';

const LINES = 300_000;
const patterns = [
  { regex: '\\bERROR\\b', ignoreCase: false },
  { regex: 'timeout after \\d+ ms', ignoreCase: false },
  { regex: 'exception', ignoreCase: true },
  { regex: '^\\d{4}-\\d{2}-\\d{2}T\\S+ (?:FATAL|CRIT)', ignoreCase: false },
  { regex: 'OutOfMemory(?:Error)?|oom-kill', ignoreCase: false },
];
const levels = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'];
const lines = Array.from(
  { length: LINES },
  (_, i) =>
    `2026-12-03T13:${String(i % 60).padStart(2, '0')}:00.${String(i % 1000).padStart(3, '0')}Z ${levels[i % 6]} ` +
    `worker-${i % 17} handled GET /api/v1/items/${i} in ${i % 997} ms` +
    (i % 101 === 0 ? ' upstream timeout after 3000 ms' : '') +
    (i % 499 === 0 ? ' java.lang.IllegalStateException' : ''),
);
const batches = batchesOf(lines);

/** Runs `run` twice (the first warms up the JIT and the regexes' DFA caches) and measures the second. */
async function measure(run: () => Promise<number>) {
  await run();
  // The longest gap between ticks of a 5 ms timer, the last one up to the end: what a /health/live call would wait.
  let lastTick = performance.now();
  let maxStallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxStallMs = Math.max(maxStallMs, now - lastTick);
    lastTick = now;
  }, 5);
  const started = performance.now();
  const hits = await run();
  const ended = performance.now();
  clearInterval(ticker);
  maxStallMs = Math.max(maxStallMs, ended - lastTick);
  return { linesPerSecond: LINES / ((ended - started) / 1000), hits, maxStallMs };
}

const inThread = await measure(() => {
  const matchers = patterns.map((pattern) => compilePattern(pattern));
  let hits = 0;
  for (const line of lines) for (const matches of matchers) if (matches(line)) hits++;
  return Promise.resolve(hits);
});

const worker = new MatchWorker({
  clock: systemClock,
  logger: pino({ level: 'silent' }),
  script: new URL('../electron/log-match-worker.mjs', import.meta.url),
});
const throughWorker = await measure(async () => {
  let hits = 0;
  for (const batch of batches) {
    const outcome = await worker.match(patterns, batch);
    if (!outcome.ok) throw new Error('a pattern ran over the budget');
    for (const found of outcome.hits) hits += found.length;
  }
  return hits;
});
await worker.close();
if (throughWorker.hits !== inThread.hits) throw new Error(`hits differ: ${throughWorker.hits} vs ${inThread.hits}`);

console.log(`log-matching — ${LINES} lines (~${lines[1]!.length} chars), ${patterns.length} patterns — ${machine()}`);
console.log('| figure | in the calling thread (baseline) | through the match worker | ratio |');
console.log('| --- | --- | --- | --- |');
console.log(
  `| lines/s | ${fmt(inThread.linesPerSecond, 0)} | ${fmt(throughWorker.linesPerSecond, 0)} | ` +
    `${fmt(throughWorker.linesPerSecond / inThread.linesPerSecond)}× |`,
);
console.log(
  `| longest event-loop stall (ms) | ${fmt(inThread.maxStallMs, 1)} | ${fmt(throughWorker.maxStallMs, 1)} | |`,
);
console.log(`(${inThread.hits} matches each way)`);
