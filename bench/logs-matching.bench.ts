// Log matching: lines/s through the match worker thread (what the scanner does: 64 KB batches, posted and answered)
// with 50 realistic patterns on a generated 1 M-line file, against `grep -E -f patterns.txt` on the same file in the
// same run; the same with 1 pattern, and with 1 % pathological 10 KB lines mixed in. LOGS_BENCH_LINES sets the size.
// Needs dist/electron/log-match-worker.mjs (`npm run bench` builds first).
import pino from 'pino';
import { RE2JS } from 're2js';
import { systemClock } from '../electron/core/clock.js';
import type { PatternRegex } from '../electron/logs/compile-pattern.js';
import { batchesOf } from '../electron/logs/log-scanner.js';
import { MatchWorker } from '../electron/logs/match-worker.js';
import { pathologicalLine, REALISTIC_PATTERNS, realisticLines, seededRandom } from '../test/support/log-corpus.js';
import { GREP, timeGrep, verdict, writeCorpus, type GrepRun } from './logs-corpus.js';
import { fmt, machine } from './support.js';

const LINES = Number(process.env.LOGS_BENCH_LINES ?? 1_000_000);
const ONE_PATTERN: PatternRegex = { regex: '\\b(ERROR|FATAL|CRITICAL)\\b', ignoreCase: false };
const SAMPLE = 50_000;

const worker = new MatchWorker({
  clock: systemClock,
  logger: pino({ level: 'silent' }),
  script: new URL('../electron/log-match-worker.mjs', import.meta.url),
});

interface WorkerRun {
  linesPerSecond: number;
  megabytesPerSecond: number;
  matches: number;
  /** Lines matched by at least one pattern, as `grep -c` counts. */
  matchingLines: number;
  maxStallMs: number;
}

/** Lines through the worker, best of two runs (the first also warms up the JIT and re2js's DFA caches). */
async function throughWorker(lines: readonly string[], patterns: readonly PatternRegex[]): Promise<WorkerRun> {
  const batches = batchesOf(lines);
  const chars = lines.reduce((sum, line) => sum + line.length + 1, 0);
  let best: WorkerRun | null = null;
  for (let run = 0; run < 2; run++) {
    // The longest gap between ticks of a 5 ms timer: what a /health/live call would wait meanwhile.
    let lastTick = performance.now();
    let maxStallMs = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      maxStallMs = Math.max(maxStallMs, now - lastTick);
      lastTick = now;
    }, 5);
    let matches = 0;
    let matchingLines = 0;
    const started = performance.now();
    for (const batch of batches) {
      const outcome = await worker.match(patterns, batch);
      if (!outcome.ok) throw new Error('a pattern ran over the budget');
      const matched = new Set<number>();
      for (const found of outcome.hits) {
        matches += found.length;
        for (const line of found) matched.add(line);
      }
      matchingLines += matched.size;
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(ticker);
    const figures = {
      linesPerSecond: lines.length / seconds,
      megabytesPerSecond: chars / 1e6 / seconds,
      matches,
      matchingLines,
      maxStallMs,
    };
    if (!best || figures.linesPerSecond > best.linesPerSecond) best = figures;
  }
  return best!;
}

/** Lines/s of a plain loop over a sample: every pattern on every line (the baselines the issue names). */
function plainLoop(lines: readonly string[], test: Array<(line: string) => boolean>): number {
  const started = performance.now();
  for (const line of lines) for (const matches of test) matches(line);
  return lines.length / ((performance.now() - started) / 1000);
}

const lines = realisticLines(LINES);
const corpus = writeCorpus(lines);
const grepC = timeGrep(corpus.patternsFile, corpus.file, 'C');
const grepDefault = timeGrep(corpus.patternsFile, corpus.file, 'default', 1);
const fifty = await throughWorker(lines, REALISTIC_PATTERNS);
const one = await throughWorker(lines, [ONE_PATTERN]);

const random = seededRandom(101);
const withPathological = lines.map((line, index) => (index % 100 === 50 ? pathologicalLine(random) : line));
const pathologicalCorpus = writeCorpus(withPathological);
const pathological = await throughWorker(withPathological, REALISTIC_PATTERNS);
const grepPathological = timeGrep(pathologicalCorpus.patternsFile, pathologicalCorpus.file, 'C');
await worker.close();

const sample = lines.slice(0, SAMPLE);
const v8Loop = plainLoop(
  sample,
  REALISTIC_PATTERNS.map(({ regex, ignoreCase }) => {
    const compiled = new RegExp(regex, ignoreCase ? 'i' : '');
    return (line) => compiled.test(line);
  }),
);
const re2jsLoop = plainLoop(
  sample,
  REALISTIC_PATTERNS.map(({ regex, ignoreCase }) => {
    const compiled = RE2JS.compile(regex, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
    return (line) => compiled.test(line);
  }),
);

const grepRate = (run: GrepRun | null, count = LINES) => (run ? count / run.seconds : NaN);
const ratioTo = (rate: number, run: GrepRun | null) => (run ? `${fmt(rate / grepRate(run))}×` : 'grep absent');
const fiftyToOne = fifty.linesPerSecond / one.linesPerSecond;
const pathologicalFall = fifty.linesPerSecond / pathological.linesPerSecond;
const grepFall = grepC && grepPathological ? grepPathological.seconds / grepC.seconds : NaN;

const averageChars = lines.reduce((sum, line) => sum + line.length, 0) / LINES;
console.log(
  `logs-matching — ${LINES} lines (${fmt(averageChars, 0)} characters on average), ` +
    `${REALISTIC_PATTERNS.length} patterns — ${machine()}`,
);
if (!grepC) console.log(`(${GREP} is absent: no grep figures)`);
console.log('| figure | measured | target | |');
console.log('| --- | --- | --- | --- |');
console.log(`| grep -E -f, LC_ALL=C (lines/s) | ${fmt(grepRate(grepC), 0)} (${fmt(grepC?.seconds ?? NaN)} s) | | |`);
console.log(
  `| grep -E -f, default locale ${process.env.LC_ALL ?? process.env.LANG ?? ''} (lines/s) | ` +
    `${fmt(grepRate(grepDefault), 0)} (${fmt(grepDefault?.seconds ?? NaN)} s) | | |`,
);
console.log(
  `| 50 patterns through the worker (lines/s) | ${fmt(fifty.linesPerSecond, 0)} (${fmt(fifty.megabytesPerSecond, 1)} MB/s) | | |`,
);
console.log(
  `| … as a ratio to grep, LC_ALL=C | ${ratioTo(fifty.linesPerSecond, grepC)} | ≥ 0.25× | ${verdict(fifty.linesPerSecond / grepRate(grepC) >= 0.25)} |`,
);
console.log(
  `| … as a ratio to grep, default locale | ${ratioTo(fifty.linesPerSecond, grepDefault)} | ≥ 0.25× | ${verdict(fifty.linesPerSecond / grepRate(grepDefault) >= 0.25)} |`,
);
console.log(`| 1 pattern (${ONE_PATTERN.regex}) through the worker (lines/s) | ${fmt(one.linesPerSecond, 0)} | | |`);
console.log(`| 50 patterns as a ratio to 1 | ${fmt(fiftyToOne)}× | ≥ 0.2× | ${verdict(fiftyToOne >= 0.2)} |`);
console.log(
  `| with 1 % pathological 10 KB lines (lines/s) | ${fmt(pathological.linesPerSecond, 0)} (${fmt(pathological.megabytesPerSecond, 1)} MB/s) | | |`,
);
console.log(
  `| … throughput falls by (lines/s) | ${fmt(pathologicalFall)}× (grep LC_ALL=C: ${fmt(grepFall)}×) | ≤ 2× | ${verdict(pathologicalFall <= 2)} |`,
);
console.log(
  `| … throughput falls by (MB/s) | ${fmt(fifty.megabytesPerSecond / pathological.megabytesPerSecond)}× | | |`,
);
console.log(`| longest event-loop stall, 50 patterns (ms) | ${fmt(fifty.maxStallMs, 1)} | | |`);
console.log(
  `| plain loops on ${SAMPLE} lines, for scale (lines/s) | V8 RegExp ${fmt(v8Loop, 0)} (${ratioTo(v8Loop, grepC)}); re2js ${fmt(re2jsLoop, 0)} (${ratioTo(re2jsLoop, grepC)}) | | |`,
);
const agree = grepC ? (grepC.matchingLines === fifty.matchingLines ? 'the same' : '**different**') : 'not compared';
console.log(
  `(${fifty.matches} matches; ${fifty.matchingLines} lines match some pattern, grep counts ${grepC?.matchingLines ?? '–'}: ${agree})`,
);
