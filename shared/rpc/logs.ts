import { z } from 'zod';
import { EpochMs } from '../ids.js';
import { LogMatch, LogPattern, LogPatternState, LogSourceState, PatternTestResult, Severity } from '../log-patterns.js';
import { LogSuggestions, LogSuggestionsRequest } from '../log-suggestions.js';
import { Slug } from '../services.js';
import { fleetConfigMethods } from './fleet-config.js';
import { method, NoParams } from './method.js';

const fleetLogPatterns = fleetConfigMethods(LogPattern, 'Log patterns');

/** Log patterns, the sources they scan and the lines they matched. */
export const logsMethods = {
  'fleet.logPatterns.list': fleetLogPatterns.list,
  'fleet.logPatterns.put': fleetLogPatterns.put,
  'fleet.logPatterns.remove': fleetLogPatterns.remove,
  'logs.patterns.list': method(
    NoParams,
    z.array(LogPatternState),
    "Log patterns in force on this node (its config file's and the fleet's), with recent match counts.",
  ),
  'logs.patterns.test': method(
    z
      .object({
        regex: z.string().min(1).max(1000),
        ignoreCase: z.boolean().default(false),
        lines: z.array(z.string().max(10_000)).max(500),
      })
      .strict(),
    PatternTestResult,
    'Tries a regex (RE2 syntax) on sample lines without saving it: which lines match, or why it does not compile.',
  ),
  'logs.sources': method(NoParams, z.array(LogSourceState), 'Log sources this node scans, and any it cannot read.'),
  'logs.matches': method(
    z
      .object({
        patternId: Slug.optional(),
        /** Lines read from this source only (a service's id or a `logFiles` name). */
        source: Slug.optional(),
        /** Lines matched by patterns of this severity, as the patterns now in force here have it. */
        severity: Severity.optional(),
        /** Lines read at or after `from` and at or before `to`. */
        from: EpochMs.optional(),
        to: EpochMs.optional(),
        /** Only matches older than this one (paging back). */
        beforeId: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict()
      .refine(({ from, to }) => from === undefined || to === undefined || from <= to, {
        error: 'must not be before from',
        path: ['to'],
      }),
    z.object({ matches: z.array(LogMatch) }),
    'Lines that matched a pattern on this node, newest first; every filter given must hold.',
  ),
  'logs.suggestions': method(
    LogSuggestionsRequest,
    LogSuggestions,
    "Patterns suggested from each source's recent lines that no pattern matched: the lines clustered into templates, each with a regex checked to compile and to match its example lines.",
  ),
} as const;
