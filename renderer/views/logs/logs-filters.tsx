import { useState } from 'react';
import type { LogPatternState, LogSourceState, Severity } from '../../../shared/log-patterns.js';
import { SelectField, TextField } from '../../components/form-fields.js';
import { severityOptions } from '../../components/severity-badge.js';
import type { LogsRoute } from '../../stores/logs-store.js';
import { fromLocalInput, toLocalInput } from '../alerts/matchers-fields.js';

const any = '';

/** Choices for a select: "any" first, then the known values, then the route's value if the node lacks it. */
function choices(anyLabel: string, known: readonly { value: string; label: string }[], current: string | null) {
  const options = [{ value: any, label: anyLabel }, ...known];
  if (current !== null && !known.some((option) => option.value === current)) {
    options.push({ value: current, label: `${current} (not on this node)` });
  }
  return options;
}

/** A `datetime-local` field bound to an epoch-ms bound of the window; it applies a complete value or a cleared one. */
function TimeBound({
  label,
  value,
  hint,
  onChange,
}: {
  label: string;
  value: number | null;
  hint: string;
  onChange(value: number | null): void;
}) {
  const shown = value === null ? '' : toLocalInput(value);
  // What is typed stays until the route's bound changes from elsewhere (a link, "Any time").
  const [typed, setTyped] = useState({ text: shown, bound: value });
  if (typed.bound !== value) setTyped({ text: shown, bound: value });
  return (
    <TextField
      className="logs-time"
      label={label}
      type="datetime-local"
      value={typed.text}
      hint={hint}
      onChange={(text) => {
        const bound = text === '' ? null : fromLocalInput(text);
        if (bound !== null && !Number.isFinite(bound)) return setTyped({ text, bound: value });
        setTyped({ text, bound });
        onChange(bound);
      }}
    />
  );
}

/** Source, severity, pattern and time window of the Logs view; each change is a new route. */
export function LogsFilters({
  route,
  patterns,
  sources,
  onChange,
}: {
  route: LogsRoute;
  patterns: readonly LogPatternState[] | null;
  sources: readonly LogSourceState[] | null;
  onChange(patch: Partial<LogsRoute>): void;
}) {
  const sourceOptions = choices(
    'All sources',
    (sources ?? []).map((source) => ({ value: source.name, label: `${source.name} (${source.kind})` })),
    route.source,
  );
  const patternOptions = choices(
    'All patterns',
    [...(patterns ?? [])]
      .sort((a, b) => a.pattern.name.localeCompare(b.pattern.name))
      .map(({ pattern }) => ({ value: pattern.id, label: `${pattern.name} (${pattern.id})` })),
    route.patternId,
  );
  return (
    <div className="logs-filters" role="group" aria-label="Filter the lines">
      <SelectField
        label="Source"
        value={route.source ?? any}
        options={sourceOptions}
        onChange={(value) => onChange({ source: value === any ? null : value })}
      />
      <SelectField<Severity | ''>
        label="Severity"
        value={route.severity ?? any}
        options={[{ value: any, label: 'Any severity' }, ...[...severityOptions].reverse()]}
        onChange={(value) => onChange({ severity: value === any ? null : value })}
      />
      <SelectField
        label="Pattern"
        value={route.patternId ?? any}
        options={patternOptions}
        onChange={(value) => onChange({ patternId: value === any ? null : value })}
      />
      <TimeBound
        label="From"
        value={route.from}
        hint="Empty: the oldest kept."
        onChange={(from) => onChange({ from })}
      />
      <TimeBound label="To" value={route.to} hint="Empty: now, and new lines." onChange={(to) => onChange({ to })} />
    </div>
  );
}
