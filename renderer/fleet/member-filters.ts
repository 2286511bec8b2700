import type { Labels } from '../../shared/ids.js';
import type { Member } from '../../shared/node.js';
import { statusSeverity, type CheckStatus } from '../../shared/services.js';

/** One `key=value` term of a label filter. */
export interface LabelSelector {
  key: string;
  value: string;
}

export type LabelFilter = { ok: true; selectors: LabelSelector[] } | { ok: false; error: string };

/**
 * `zone=eu-1, tier=web`: every term must match. Terms are split on commas and line breaks only, because a
 * label value may contain spaces. An empty text matches everything.
 */
export function parseLabelFilter(text: string): LabelFilter {
  const selectors: LabelSelector[] = [];
  for (const raw of text.split(/[,\n]/)) {
    const term = raw.trim();
    if (term === '') continue;
    const equals = term.indexOf('=');
    if (equals <= 0) return { ok: false, error: `"${term}" is not key=value (e.g. zone=eu-1)` };
    selectors.push({ key: term.slice(0, equals).trim(), value: term.slice(equals + 1).trim() });
  }
  return { ok: true, selectors };
}

export const matchesLabels = (labels: Labels, selectors: readonly LabelSelector[]): boolean =>
  selectors.every((selector) => labels[selector.key] === selector.value);

/** Case-insensitive substring of the name or the id; `query` must already be lower case and trimmed. */
export const matchesQuery = (member: Pick<Member, 'id' | 'name'>, query: string): boolean =>
  query === '' || member.name.toLowerCase().includes(query) || member.id.includes(query);

/** A member without a published summary yet (or from an older version) has nothing to report. */
export const memberHealth = (member: Member): CheckStatus => member.summary?.health ?? 'unknown';

/** Worst first, as the Services view sorts statuses. */
export const healthSeverity = (member: Member): number => statusSeverity[memberHealth(member)];

/** Every label key any member carries, sorted, for "group by" and filter suggestions. */
export function labelKeys(members: readonly Member[]): string[] {
  const keys = new Set<string>();
  for (const member of members) for (const key of Object.keys(member.labels)) keys.add(key);
  return [...keys].sort();
}
