import type { LogSuggestion } from '../../../shared/log-suggestions.js';
import { emptyPatternDraft, type PatternDraft } from './pattern-draft.js';

/** What "Make a pattern from this" opens the editor with: the draft, and the lines its Try it starts on. */
export interface PatternPrefill {
  /** Names the prefill, so the editor starts again from a new one. */
  key: string;
  draft: PatternDraft;
  sample: string;
}

const MAX_ID_BASE = 56;

/** An id from the name (a-z, 0-9 and dashes), with a number after it when the fleet already has that one. */
export function suggestedId(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, MAX_ID_BASE)
      .replace(/-+$/, '') || 'suggested';
  if (!taken.has(base)) return base;
  let suffix = 2;
  while (taken.has(`${base}-${suffix}`)) suffix += 1;
  return `${base}-${suffix}`;
}

/** The editor's draft for a suggestion: its name, an id free in the fleet, its regex, for its source only. */
export function prefillOf(suggestion: LogSuggestion, takenIds: ReadonlySet<string>): PatternPrefill {
  return {
    key: `${suggestion.source}:${suggestion.regex}`,
    draft: {
      ...emptyPatternDraft(),
      id: suggestedId(suggestion.name, takenIds),
      name: suggestion.name,
      description: `Suggested from lines of ${suggestion.source} like: ${suggestion.template}`.slice(0, 1000),
      regex: suggestion.regex,
      sources: suggestion.source,
    },
    sample: suggestion.examples.join('\n'),
  };
}
