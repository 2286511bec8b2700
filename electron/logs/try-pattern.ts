import type { MatchSpan, PatternTestResult } from '../../shared/log-patterns.js';
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
  const outcome = await matcher.match([input], input.lines);
  if (!outcome.ok) return { ok: false, error: `${overBudget(matcher)} on these lines — simplify the regex` };
  const hits = outcome.hits[0] ?? [];
  // Where each line matches is a second, slower search (re2js tracks positions), on the matching lines only and
  // with a budget of its own: a pattern that matches in time is never refused for its highlight, which may be left out.
  const located = await matcher.match(
    [input],
    hits.map((index) => input.lines[index]!),
    { spans: true },
  );
  const spans = new Map<number, MatchSpan>();
  if (located.ok) located.hits[0]!.forEach((hit, found) => spans.set(hit, located.spans![0]![found]!));
  return {
    ok: true,
    matches: hits.map((index, hit) => {
      const span = spans.get(hit);
      return span ? { index, line: input.lines[index]!, span } : { index, line: input.lines[index]! };
    }),
  };
}
