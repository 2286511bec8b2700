import type { LogMatch, LogPatternState, MatchSpan } from '../../shared/log-patterns.js';
import type { LineMatching } from './match-worker.js';

/**
 * The listed lines, each with where the pattern now in force matches it: one batch per pattern on the trial worker,
 * so a costly pattern spends its budget there, not on the event loop. A line whose pattern is gone, changed so that
 * it no longer matches, or ran over the budget is listed without a span.
 */
export async function withSpans(
  matches: readonly LogMatch[],
  inForce: readonly LogPatternState[],
  matcher: LineMatching,
): Promise<LogMatch[]> {
  const patterns = new Map(inForce.map(({ pattern }) => [pattern.id, pattern]));
  const listedBy = new Map<string, number[]>();
  matches.forEach((match, index) => {
    const listed = listedBy.get(match.patternId);
    if (listed) listed.push(index);
    else listedBy.set(match.patternId, [index]);
  });
  const spans = new Map<number, MatchSpan>();
  for (const [patternId, listed] of listedBy) {
    const pattern = patterns.get(patternId);
    if (!pattern) continue;
    const lines = listed.map((index) => matches[index]!.line);
    const outcome = await matcher.match([pattern], lines, { spans: true });
    if (!outcome.ok) continue;
    outcome.hits[0]!.forEach((line, hit) => spans.set(listed[line]!, outcome.spans![0]![hit]!));
  }
  return matches.map((match, index) => {
    const span = spans.get(index);
    return span ? { ...match, span } : match;
  });
}
