// The generated log file and the `grep -E -f` it is measured against, shared by the logs-* benchmarks.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PatternRegex } from '../electron/logs/compile-pattern.js';
import { REALISTIC_PATTERNS } from '../test/support/log-corpus.js';

export const GREP = '/usr/bin/grep';

/** A case-insensitive pattern as `grep -E` reads it in one file with the others: each ASCII letter as a class. */
function forGrep(pattern: PatternRegex): string {
  if (!pattern.ignoreCase) return pattern.regex;
  if (/[\\[]/.test(pattern.regex)) throw new Error(`cannot fold ${pattern.regex} for grep`);
  return pattern.regex.replace(/[a-z]/gi, (letter) => `[${letter.toLowerCase()}${letter.toUpperCase()}]`);
}

/** A fresh directory with `lines` written to `name` and the patterns to `patterns.txt`. */
export function writeCorpus(lines: readonly string[], name = 'corpus.log', patterns = REALISTIC_PATTERNS) {
  const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-logs-bench-'));
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const patternsFile = join(dir, 'patterns.txt');
  writeFileSync(patternsFile, `${patterns.map(forGrep).join('\n')}\n`);
  return { dir, file, patternsFile };
}

export interface GrepRun {
  seconds: number;
  matchingLines: number;
}

/**
 * `grep -E -c -f patterns file`, timed (the best of `runs`); `locale` C is grep's byte-at-a-time fast path, the
 * default is the environment's (UTF-8 here, as a user's shell has it). Null when grep is not installed.
 */
export function timeGrep(patternsFile: string, file: string, locale: 'C' | 'default', runs = 3): GrepRun | null {
  if (!existsSync(GREP)) return null;
  const env = locale === 'C' ? { ...process.env, LC_ALL: 'C' } : process.env;
  let best: GrepRun | null = null;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const result = spawnSync(GREP, ['-E', '-c', '-f', patternsFile, file], { env, encoding: 'utf8' });
    const seconds = (performance.now() - started) / 1000;
    if (result.status !== 0 && result.status !== 1) throw new Error(`grep failed: ${result.stderr}`);
    if (!best || seconds < best.seconds) best = { seconds, matchingLines: Number(result.stdout.trim()) };
  }
  return best;
}

/** "met" or "missed", for a figure and its target. */
export const verdict = (met: boolean) => (met ? 'met' : '**missed**');
