import { LabelMatcher } from './label-matchers.js';

/** A Prometheus series selector as a service's `metrics:` names one: `http_requests_total{code=~"5.."}`. */
export interface MetricSelector {
  metric: string;
  matchers: LabelMatcher[];
}

export type SelectorParse = { ok: true; selector: MetricSelector } | { ok: false; error: string };

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|})/;
const ESCAPES: Record<string, string> = { n: '\n', '\\': '\\', '"': '"' };

/**
 * Reads `name` or `name{label="v", code=~"5.."}` (PromQL's selector syntax, without offsets or ranges). Regexes are
 * RE2, anchored to the whole value as in PromQL; they are compiled where the selector is used.
 */
export function parseMetricSelector(text: string): SelectorParse {
  const trimmed = text.trim();
  const metric = METRIC_NAME.exec(trimmed)?.[0];
  if (!metric) return { ok: false, error: 'must start with a metric name such as http_requests_total' };
  let rest = trimmed.slice(metric.length).trim();
  const matchers: LabelMatcher[] = [];
  if (rest === '') return { ok: true, selector: { metric, matchers } };
  if (!rest.startsWith('{')) return { ok: false, error: `expected "{" or the end after ${metric}` };
  rest = rest.slice(1);
  if (rest.trim() === '}') return { ok: true, selector: { metric, matchers } };
  for (;;) {
    const found = MATCHER.exec(rest);
    if (!found) return { ok: false, error: `expected label="value" (or !=, =~, !~) at "${rest.trim().slice(0, 40)}"` };
    const [whole, name, op, quoted, end] = found as unknown as [string, string, string, string, string];
    const value = quoted.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c);
    const parsed = LabelMatcher.safeParse({ name, op, value });
    if (!parsed.success) return { ok: false, error: `label ${name}: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
    matchers.push(parsed.data);
    rest = rest.slice(whole.length);
    if (end === '}') break;
    if (rest.trim().startsWith('}')) {
      rest = rest.trim().slice(1);
      break;
    }
  }
  if (rest.trim() !== '') return { ok: false, error: `unexpected "${rest.trim().slice(0, 40)}" after "}"` };
  return { ok: true, selector: { metric, matchers } };
}
