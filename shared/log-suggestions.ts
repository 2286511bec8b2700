import { z } from 'zod';
import { LogPattern } from './log-patterns.js';
import { Slug } from './services.js';

/** Asks for pattern suggestions from the recent lines that no pattern matched. */
export const LogSuggestionsRequest = z
  .object({
    /** One source only; all the node's sources when absent. */
    source: Slug.optional(),
    /** Templates per source, the most lines first. */
    limit: z.number().int().min(1).max(100).default(10),
  })
  .strict();
export type LogSuggestionsRequest = z.infer<typeof LogSuggestionsRequest>;

/** Recent unmatched lines of one shape, and a pattern that would catch them. */
export const LogSuggestion = z.object({
  source: Slug,
  /** The lines' shape: constant words, `<NUM>`, `<IP>`, `<HEX>`, `<UUID>` for masked values, `<*>` where they differ. */
  template: z.string(),
  /** RE2, checked to compile on the node and to match every example. */
  regex: LogPattern.shape.regex,
  /** A name for the pattern, from the template's words. */
  name: LogPattern.shape.name,
  /** Recent unmatched lines of this shape. */
  count: z.number().int().positive(),
  /** The first few of those lines, oldest first. */
  examples: z.array(z.string()).min(1),
});
export type LogSuggestion = z.infer<typeof LogSuggestion>;

export const LogSuggestions = z.object({
  /** Each source looked at, with how many recent lines it has kept and how many of them no pattern matched. */
  sources: z.array(
    z.object({
      source: Slug,
      recentLines: z.number().int().nonnegative(),
      unmatchedLines: z.number().int().nonnegative(),
    }),
  ),
  /** By source, then the most lines first. */
  suggestions: z.array(LogSuggestion),
});
export type LogSuggestions = z.infer<typeof LogSuggestions>;
