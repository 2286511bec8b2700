import { z } from 'zod';
import { EpochMs } from './ids.js';
import { Slug } from './services.js';

export const Severity = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof Severity>;

/**
 * A pattern looked for in every new line of a node's logs. The regex is RE2 syntax (matched in linear time); the
 * agent compiles it and refuses it with the reason, also when its compiled program is too large (too costly).
 */
export const LogPattern = z
  .object({
    id: Slug,
    name: z.string().min(1).max(128),
    description: z.string().max(1000).default(''),
    regex: z.string().min(1).max(1000),
    ignoreCase: z.boolean().default(false),
    /**
     * Log sources to scan, by name: a supervised service's id (its output) or a file named under `logFiles` in
     * the node's config. Empty: every source the node has. A name a node does not have matches nothing there.
     */
    sources: z.array(Slug).max(64).default([]),
    severity: Severity.default('warning'),
  })
  .strict();
export type LogPattern = z.infer<typeof LogPattern>;
export type LogPatternInput = z.input<typeof LogPattern>;

/** Where in a line a regex matched (its first match): offsets as JavaScript strings count them, end exclusive. */
export const MatchSpan = z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() });
export type MatchSpan = z.infer<typeof MatchSpan>;

/** One line that matched, as stored by the node that read it. */
export const LogMatch = z.object({
  id: z.number().int().positive(),
  patternId: Slug,
  source: Slug,
  line: z.string(),
  at: EpochMs,
  /**
   * Where the pattern in force matches the line, found when the lines are listed; absent when it no longer matches
   * (changed or removed since) or finding it ran over the matching budget.
   */
  span: MatchSpan.optional(),
});
export type LogMatch = z.infer<typeof LogMatch>;

/** Where a pattern came from on this node: its config file (read-only) or the fleet (saved in a console). */
export const DefinitionSource = z.enum(['config', 'fleet']);
export type DefinitionSource = z.infer<typeof DefinitionSource>;

export const LogPatternState = z.object({
  pattern: LogPattern,
  source: DefinitionSource,
  /** Matches in the last hour on this node, and the latest match time. */
  matchesLastHour: z.number().int().nonnegative(),
  lastMatchAt: EpochMs.nullable(),
  /**
   * Null while the pattern matches normally. Otherwise why not: "disabled: matching took over 2 s on one batch"
   * (until a new version is applied, or the node restarts for a config pattern), "refused: pattern too costly: …"
   * (a fleet value this node would not take), or a newer fleet version refused while this one stays in force.
   */
  problem: z.string().nullable(),
});
export type LogPatternState = z.infer<typeof LogPatternState>;

export const LogSourceState = z.object({
  name: Slug,
  kind: z.enum(['service', 'file']),
  path: z.string(),
  /** Null while the file is readable; the reason otherwise (missing, permission denied). */
  problem: z.string().nullable(),
});
export type LogSourceState = z.infer<typeof LogSourceState>;

/** Result of trying a regex on sample lines in the editor, without saving it. */
export const PatternTestResult = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** `span`: where the line matches; absent when finding it ran over the budget. */
    matches: z.array(z.object({ index: z.number().int(), line: z.string(), span: MatchSpan.optional() })),
  }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type PatternTestResult = z.infer<typeof PatternTestResult>;
