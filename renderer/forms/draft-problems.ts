import type { z } from 'zod';
import type { RpcIssue } from '../../shared/rpc.js';

/**
 * What the editors share: each works on a draft (every input's text as typed) that becomes a value only through
 * the shared schema, and puts the schema's or the agent's issues next to the fields they name.
 */

/** A schema's default, shown in a form so nobody has to guess it. */
export const defaultOf = <T>(schema: z.ZodType<T>): T => schema.parse(undefined);

/** Empty means "use the default" (or "missing" where there is none); anything else goes to the schema as typed. */
export const numberOf = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

export const withoutUndefined = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

/** The schema's issues as the agent reports them: a dotted path ('' for the value as a whole) and the reason. */
export const issuesOfZod = (error: z.ZodError): RpcIssue[] =>
  error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));

/** Field errors keyed like the schema's issue paths: "name", "checks.0.url". */
export type FieldErrors = Record<string, string>;

export interface DraftProblems {
  fields: FieldErrors;
  /** Problems that belong to no field the form shows, with their path. */
  other: string[];
}

export const noProblems: DraftProblems = { fields: {}, other: [] };

/** Zod's wording for a missing value is about types; the form says what the user needs to know. */
export function friendly(message: string): string {
  if (/received undefined|expected string to have >=1 characters/.test(message)) return 'Required';
  if (/received NaN/.test(message)) return 'Must be a number';
  return message.replace(/^Invalid input: /, '');
}

/**
 * Puts each issue next to the field it names: the longest leading part of its path that is a field of the form
 * ("checks.0.expectStatus.1" → "checks.0.expectStatus"); the first issue of a field wins. `wrapper` is the
 * request's key around the value (`value`, `service`), left off the paths; `subject` names the value as a whole
 * in what no field takes ("(rule): …").
 */
export function placeIssues(
  issues: readonly RpcIssue[],
  {
    fields,
    wrapper,
    subject,
    explain = (issue) => friendly(issue.message),
  }: {
    fields: ReadonlySet<string>;
    wrapper: string;
    subject: string;
    /** The message shown at the field, for an issue whose path no longer has the wrapper. */
    explain?(issue: RpcIssue, field: string): string;
  },
): DraftProblems {
  const problems: DraftProblems = { fields: {}, other: [] };
  const unwrap = new RegExp(`^${wrapper}(\\.|$)`);
  for (const issue of issues) {
    const path = issue.path.replace(unwrap, '');
    const segments = path.split('.');
    let field: string | undefined;
    for (let length = segments.length; length > 0 && field === undefined; length -= 1) {
      const candidate = segments.slice(0, length).join('.');
      if (fields.has(candidate)) field = candidate;
    }
    if (field === undefined) problems.other.push(`${path || `(${subject})`}: ${issue.message}`);
    else problems.fields[field] ??= explain({ path, message: issue.message }, field);
  }
  return problems;
}

export type DraftOutcome<T> = { ok: true; value: T } | ({ ok: false } & DraftProblems);

/**
 * Parses a draft's input with the shared schema. Problems the form found itself (`local`) win at their field, and
 * the value is given only when there are none.
 */
export function checkDraft<T>(
  schema: z.ZodType<T>,
  input: unknown,
  local: FieldErrors,
  problemsOf: (issues: readonly RpcIssue[]) => DraftProblems,
): DraftOutcome<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success && Object.keys(local).length === 0) return { ok: true, value: parsed.data };
  const problems = problemsOf(parsed.success ? [] : issuesOfZod(parsed.error));
  return { ok: false, fields: { ...problems.fields, ...local }, other: problems.other };
}
