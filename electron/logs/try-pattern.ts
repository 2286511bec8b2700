import type { PatternTestResult } from '../../shared/log-patterns.js';
import { patternRefusal, type PatternRegex } from './compile-pattern.js';
import { overBudget, type LineMatching } from './match-worker.js';

/**
 * The editor's "try it" (and the console's check before saving): which sample lines match and where, or why a node would refuse
 * the regex (it does not compile, or it is too costly), or that matching the samples ran over the budget. Never
 * throws for bad input.
 */
export async function tryPattern(
  matcher: LineMatching,
  input: PatternRegex & { lines: readonly string[] },
): Promise<PatternTestResult> {
  const refusal = patternRefusal(input);
  if (refusal) return { ok: false, error: refusal };
  const outcome = await matcher.match([input], input.lines, { spans: true });
  if (!outcome.ok) return { ok: false, error: `${overBudget(matcher)} on these lines — simplify the regex` };
  const spans = outcome.spans?.[0] ?? [];
  return {
    ok: true,
    matches: (outcome.hits[0] ?? []).map((index, hit) => ({ index, line: input.lines[index]!, span: spans[hit]! })),
  };
}
