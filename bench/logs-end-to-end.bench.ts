// Log matching end to end, as a user measures it: 1 M lines (about 90 MB) written at once to a file in `logFiles` of
// a running agent process with 50 patterns, until every match is counted in `fleetdeck_log_pattern_matches_total`;
// against `grep -E -f` on the same file in the same run. Target: within 20× grep's time + 1 s. LOGS_BENCH_LINES sets
// the size. Runs the built agent (`npm run bench` builds first).
import { writeFileSync } from 'node:fs';
import { REALISTIC_PATTERNS, realisticLines, referenceCounts } from '../test/support/log-corpus.js';
import { startPatternAgent } from '../test/support/log-pattern-agent.js';
import { GREP, timeGrep, verdict, writeCorpus } from './logs-corpus.js';
import { fmt, machine } from './support.js';

const LINES = Number(process.env.LOGS_BENCH_LINES ?? 1_000_000);
const GIVE_UP_MS = 300_000;

const lines = realisticLines(LINES);
const expected = referenceCounts(REALISTIC_PATTERNS, lines);
const corpus = writeCorpus(lines);
const grepC = timeGrep(corpus.patternsFile, corpus.file, 'C');
const grepDefault = timeGrep(corpus.patternsFile, corpus.file, 'default', 1);

const scanning = await startPatternAgent(REALISTIC_PATTERNS);
const text = `${lines.join('\n')}\n`;
let counts: number[];
let firstCountMs = NaN;
const started = performance.now();
writeFileSync(scanning.logFile, text);
const written = performance.now();
for (;;) {
  counts = await scanning.counts();
  const now = performance.now();
  if (Number.isNaN(firstCountMs) && counts.some((count) => count > 0)) firstCountMs = now - started;
  if (counts.every((count, index) => count === expected[index]) || now - started > GIVE_UP_MS) break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const seconds = (performance.now() - started) / 1000;
await scanning.agent.stop('SIGKILL');
const allCounted = counts.every((count, index) => count === expected[index]);

const targetFor = (grepSeconds: number) => 20 * grepSeconds + 1;
console.log(
  `logs-end-to-end — ${LINES} lines (${fmt(text.length / 1e6, 1)} MB) written at once, ${REALISTIC_PATTERNS.length} patterns — ${machine()}`,
);
if (!grepC) console.log(`(${GREP} is absent: no grep figures)`);
console.log('| figure | measured | target | |');
console.log('| --- | --- | --- | --- |');
console.log(`| grep -E -f, LC_ALL=C (s) | ${fmt(grepC?.seconds ?? NaN)} | | |`);
console.log(`| grep -E -f, default locale (s) | ${fmt(grepDefault?.seconds ?? NaN)} | | |`);
console.log(
  `| file written → every match counted in the metric (s) | ${allCounted ? fmt(seconds) : `not all counted after ${fmt(seconds)}`} ` +
    `(writing ${fmt((written - started) / 1000)}, first count at ${fmt(firstCountMs / 1000)}) | | |`,
);
for (const [name, run] of [
  ['LC_ALL=C', grepC],
  ['default locale', grepDefault],
] as const) {
  if (!run) continue;
  const target = targetFor(run.seconds);
  console.log(
    `| … against 20 × grep (${name}) + 1 s | ${fmt(seconds)} s | ≤ ${fmt(target)} s | ${verdict(allCounted && seconds <= target)} |`,
  );
}
console.log(`| lines/s end to end | ${fmt(LINES / seconds, 0)} | | |`);
console.log(`(${expected.reduce((sum, count) => sum + count, 0)} matches expected; all counted: ${allCounted})`);
