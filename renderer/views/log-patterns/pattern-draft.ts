import { LogPattern, type Severity } from '../../../shared/log-patterns.js';
import type { RpcIssue } from '../../../shared/rpc.js';
import { friendly, issuesOfZod, placeIssues, type DraftProblems } from '../../forms/draft-problems.js';

/** The editor works on a draft, every input as typed; it becomes a pattern only through the shared schema. */
export interface PatternDraft {
  id: string;
  name: string;
  description: string;
  regex: string;
  ignoreCase: boolean;
  severity: Severity;
  /** Comma-separated source names; empty for every source. */
  sources: string;
}

export type PatternField = keyof PatternDraft;

const fields: ReadonlySet<string> = new Set<PatternField>([
  'id',
  'name',
  'description',
  'regex',
  'ignoreCase',
  'severity',
  'sources',
]);

export const emptyPatternDraft = (): PatternDraft => ({
  id: '',
  name: '',
  description: '',
  regex: '',
  ignoreCase: false,
  severity: 'warning',
  sources: '',
});

export const draftOf = (pattern: LogPattern): PatternDraft => ({
  id: pattern.id,
  name: pattern.name,
  description: pattern.description,
  regex: pattern.regex,
  ignoreCase: pattern.ignoreCase,
  severity: pattern.severity,
  sources: pattern.sources.join(', '),
});

export const sourcesOf = (text: string): string[] => [
  ...new Set(
    text
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  ),
];

/** The comma-separated sources with `name` added (at the end) or taken out, the others kept in their order. */
export function withSource(text: string, name: string, chosen: boolean): string {
  const names = sourcesOf(text);
  if (!chosen) return names.filter((source) => source !== name).join(', ');
  return (names.includes(name) ? names : [...names, name]).join(', ');
}

/**
 * Puts each issue next to the field its path names ("value.sources.2" → sources, saying which of the names is
 * wrong); `value.` is the request wrapper of `fleet.logPatterns.put`.
 */
export function problemsOf(issues: readonly RpcIssue[], draft?: PatternDraft): DraftProblems {
  const sources = draft ? sourcesOf(draft.sources) : [];
  return placeIssues(issues, {
    fields,
    wrapper: 'value',
    subject: 'pattern',
    explain: ({ path, message }, field) => {
      const index = path.split('.')[1];
      const source = field === 'sources' && index !== undefined ? sources[Number(index)] : undefined;
      return source ? `“${source}”: ${friendly(message)}` : friendly(message);
    },
  });
}

export type DraftResult = { ok: true; pattern: LogPattern } | ({ ok: false } & DraftProblems);

/** Checks a draft with the shared schema; the result is exactly what `fleet.logPatterns.put` accepts. */
export function patternOf(draft: PatternDraft): DraftResult {
  const parsed = LogPattern.safeParse({
    id: draft.id.trim(),
    name: draft.name.trim(),
    description: draft.description.trim(),
    regex: draft.regex,
    ignoreCase: draft.ignoreCase,
    severity: draft.severity,
    sources: sourcesOf(draft.sources),
  });
  if (parsed.success) return { ok: true, pattern: parsed.data };
  const problems = problemsOf(issuesOfZod(parsed.error), draft);
  // An empty id fails the slug pattern; "required" says more.
  if (draft.id.trim() === '') problems.fields.id = 'Required';
  return { ok: false, ...problems };
}
