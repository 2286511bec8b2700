import { RE2JS } from 're2js';
import type { MatchSpan } from '../../shared/log-patterns.js';
import { CodedError } from '../core/coded-error.js';
import { re2SyntaxReason } from '../core/re2-syntax-error.js';

/** Whether one log line matches: a compiled RE2 regex, so a line costs time linear in its length. */
export type LineMatcher = (line: string) => boolean;

/** What a node needs to compile a pattern (the rest of a pattern says where and how loud, not what). */
export interface PatternRegex {
  regex: string;
  ignoreCase: boolean;
}

/**
 * The largest compiled program (RE2 instructions) a pattern may have. Linear time is linear in the program size too:
 * `(a?){500}a{500}` (2502 instructions) took 14 s on 95 lines of 10 KB. The longest regex the schema allows, a plain
 * literal of 1000 characters, compiles to 1002, so only counted repetitions and their like go beyond.
 */
export const MAX_PROGRAM_SIZE = 1200;

type Compiled = { ok: true; regex: RE2JS } | { ok: false; message: string; reason: string };

/** The largest counted repetition in the regex (`{500}`, `{2,800}`), to name in the refusal. */
function largestRepetition(regex: string): string | null {
  let largest: { text: string; count: number } | null = null;
  for (const found of regex.matchAll(/\{(\d+)(?:,(\d*))?\}/g)) {
    const count = Math.max(Number(found[1]), Number(found[2] || 0));
    if (!largest || count > largest.count) largest = { text: found[0], count };
  }
  return largest?.text ?? null;
}

function tryCompile(pattern: PatternRegex): Compiled {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern.regex, pattern.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    const reason = re2SyntaxReason(pattern.regex, error);
    return { ok: false, message: `the regex does not compile: ${reason}`, reason };
  }
  const size = compiled.programSize();
  if (size > MAX_PROGRAM_SIZE) {
    const repetition = largestRepetition(pattern.regex);
    const advice = repetition ? `reduce repetition counts like ${repetition}` : 'shorten the regex';
    const reason = `pattern too costly: program of ${size} instructions, limit ${MAX_PROGRAM_SIZE} — ${advice}`;
    return { ok: false, message: reason, reason };
  }
  return { ok: true, regex: compiled };
}

/**
 * Compiles a pattern's regex (RE2 syntax: no backreferences or lookaround, which is what keeps matching linear) into
 * a matcher that looks for it anywhere in a line. Refuses, as `invalid_request` on the regex field, a regex that does
 * not compile (with re2js's reason) or whose program is larger than `MAX_PROGRAM_SIZE`.
 */
export function compilePattern(pattern: PatternRegex): LineMatcher {
  const regex = compileRegex(pattern);
  return (line) => regex.test(line);
}

/** The compiled regex of `compilePattern`, refused the same way, for a caller that also wants `spanOf`. */
export function compileRegex(pattern: PatternRegex): RE2JS {
  const compiled = tryCompile(pattern);
  if (!compiled.ok) {
    throw new CodedError('invalid_request', compiled.message, [{ path: 'regex', message: compiled.reason }]);
  }
  return compiled.regex;
}

/** Where the regex first matches in the line, or null. */
export function spanOf(regex: RE2JS, line: string): MatchSpan | null {
  const matcher = regex.matcher(line);
  return matcher.find() ? { start: matcher.start(), end: matcher.end() } : null;
}

/** Why a node would refuse the pattern (the message on its regex field), or null when it would take it. */
export function patternRefusal(pattern: PatternRegex): string | null {
  const compiled = tryCompile(pattern);
  return compiled.ok ? null : compiled.reason;
}
