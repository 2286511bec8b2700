import { RE2JS, RE2JSException } from 're2js';
import type { PatternTestResult } from '../../shared/log-patterns.js';
import { CodedError } from '../core/coded-error.js';
import { errorMessage } from '../core/errors.js';

/** Whether one log line matches: a compiled RE2 regex, so a line costs time linear in its length. */
export type LineMatcher = (line: string) => boolean;

/** re2js's own words for why a regex does not compile ("invalid escape sequence: `\1`"). */
function compileError(error: unknown): string {
  const message = error instanceof RE2JSException ? error.message : errorMessage(error);
  return message.replace(/^error parsing regexp: /, '');
}

function compileRegex(regex: string, ignoreCase: boolean): RE2JS {
  return RE2JS.compile(regex, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
}

/**
 * Compiles a pattern's regex (RE2 syntax: no backreferences or lookaround, which is what keeps matching linear) into
 * a matcher that looks for it anywhere in a line. Refuses a regex that does not compile, with re2js's reason.
 */
export function compilePattern(pattern: { regex: string; ignoreCase: boolean }): LineMatcher {
  let compiled: RE2JS;
  try {
    compiled = compileRegex(pattern.regex, pattern.ignoreCase);
  } catch (error) {
    const reason = compileError(error);
    throw new CodedError('invalid_request', `the regex does not compile: ${reason}`, [
      { path: 'regex', message: reason },
    ]);
  }
  return (line) => compiled.test(line);
}

/** The editor's "try it": which sample lines match, or why the regex does not compile. Never throws for bad input. */
export function testPattern(input: {
  regex: string;
  ignoreCase: boolean;
  lines: readonly string[];
}): PatternTestResult {
  let compiled: RE2JS;
  try {
    compiled = compileRegex(input.regex, input.ignoreCase);
  } catch (error) {
    return { ok: false, error: compileError(error) };
  }
  const matches = input.lines.flatMap((line, index) => (compiled.test(line) ? [{ index, line }] : []));
  return { ok: true, matches };
}
