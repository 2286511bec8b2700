import { z } from 'zod';
import { Severity, type LogPatternState } from './log-patterns.js';

/** Lines matched in the last hour on one node, by the severity of the pattern (as now in force) that matched. */
export const LogSeverityCounts = z.object({
  critical: z.number().int().nonnegative(),
  warning: z.number().int().nonnegative(),
  info: z.number().int().nonnegative(),
});
export type LogSeverityCounts = z.infer<typeof LogSeverityCounts>;

/** Worst first, as counts show them. */
export const logSeveritiesWorstFirst: readonly Severity[] = [...Severity.options].reverse();

/** The patterns' matches in the last hour, summed by their severity. */
export function countBySeverity(patterns: readonly LogPatternState[]): LogSeverityCounts {
  const counts: LogSeverityCounts = { critical: 0, warning: 0, info: 0 };
  for (const { pattern, matchesLastHour } of patterns) counts[pattern.severity] += matchesLastHour;
  return counts;
}
