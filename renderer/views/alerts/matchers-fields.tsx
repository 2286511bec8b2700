import type { LabelMatcher } from '../../../shared/label-matchers.js';

const ops: ReadonlyArray<LabelMatcher['op']> = ['=', '!=', '=~', '!~'];

/** Edits a list of label matchers, one row each (name, operator, value), all of which must hold. */
export function MatchersFields({
  matchers,
  onChange,
  errorOf,
}: {
  matchers: readonly LabelMatcher[];
  onChange(matchers: LabelMatcher[]): void;
  /** The refusal that names a matcher's field (`matchers[1].value`), if any. */
  errorOf(path: string): string | undefined;
}) {
  const update = (index: number, change: Partial<LabelMatcher>) =>
    onChange(matchers.map((matcher, i) => (i === index ? { ...matcher, ...change } : matcher)));
  return (
    <fieldset className="matchers-fields">
      <legend>Matchers (all must hold)</legend>
      <p className="field-hint">
        Labels: the alert’s own and its node’s, plus <code>node</code>, <code>rule</code>, <code>severity</code> and{' '}
        <code>service</code>. <code>=~</code> and <code>!~</code> match the whole value with an RE2 regex.
      </p>
      {matchers.map((matcher, index) => {
        const error = errorOf(`matchers.${index}.value`) ?? errorOf(`matchers[${index}].value`);
        const n = index + 1;
        return (
          <div className="matcher-row" key={index} role="group" aria-label={`Matcher ${n}`}>
            <input
              aria-label={`Matcher ${n} label`}
              value={matcher.name}
              placeholder="label"
              spellCheck={false}
              onChange={(event) => update(index, { name: event.target.value })}
            />
            <select
              aria-label={`Matcher ${n} operator`}
              value={matcher.op}
              onChange={(event) => update(index, { op: event.target.value as LabelMatcher['op'] })}
            >
              {ops.map((op) => (
                <option key={op} value={op}>
                  {op}
                </option>
              ))}
            </select>
            <input
              aria-label={`Matcher ${n} value`}
              aria-invalid={error ? true : undefined}
              value={matcher.value}
              placeholder="value"
              spellCheck={false}
              onChange={(event) => update(index, { value: event.target.value })}
            />
            <button
              type="button"
              className="button button-danger-quiet"
              aria-label={`Remove matcher ${n}`}
              onClick={() => onChange(matchers.filter((_, i) => i !== index))}
            >
              Remove
            </button>
            {error && <p className="field-error">{error}</p>}
          </div>
        );
      })}
      <button
        type="button"
        className="button"
        onClick={() => onChange([...matchers, { name: '', op: '=', value: '' }])}
      >
        Add matcher
      </button>
    </fieldset>
  );
}

/** Epoch ms as a `datetime-local` input shows it (local time, minutes). */
export function toLocalInput(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value as epoch ms; NaN when it is not a date. */
export const fromLocalInput = (value: string): number => new Date(value).getTime();

/** A matcher as one line: `node = "db-1"`. */
export const matcherText = ({ name, op, value }: LabelMatcher) => `${name} ${op} "${value}"`;
