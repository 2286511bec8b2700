import { useId, useState, type ReactNode } from 'react';
import { durationExamples, formatDurationMs, parseDurationMs } from '../format/duration.js';

interface FieldProps {
  label: string;
  /** Shown under the input and read with it (defaults, formats). */
  hint?: ReactNode;
  /** Shown under the input in red, read with it, and marks the input invalid. */
  error?: string | undefined;
  className?: string;
}

interface ControlIds {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': boolean | undefined;
}

/** A label, a control, a hint and an error, tied together by ids so assistive technology reads them as one. */
function Field({ label, hint, error, className, children }: FieldProps & { children: (ids: ControlIds) => ReactNode }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', error ? 'has-error' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}

interface TextFieldProps extends FieldProps {
  value: string;
  onChange(value: string): void;
  placeholder?: string;
  readOnly?: boolean;
  type?: 'text' | 'url' | 'number' | 'password' | 'search' | 'datetime-local';
  autoComplete?: string;
  /** For number inputs. */
  min?: number;
  step?: number;
  spellCheck?: boolean;
}

export function TextField({
  value,
  onChange,
  placeholder,
  readOnly,
  type = 'text',
  min,
  step,
  spellCheck,
  autoComplete,
  ...field
}: TextFieldProps) {
  return (
    <Field {...field}>
      {(ids) => (
        <input
          {...ids}
          type={type}
          value={value}
          min={min}
          step={step}
          placeholder={placeholder}
          readOnly={readOnly}
          spellCheck={spellCheck}
          autoComplete={autoComplete}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

interface DurationFieldProps extends FieldProps {
  /** The draft's number as text, in `unit`; empty: the default. */
  value: string;
  onChange(value: string): void;
  /** What the draft's number counts, and what a plain number typed means. */
  unit: 'ms' | 's';
  placeholder?: string;
}

const unitSizeMs = { ms: 1, s: 1000 };

/**
 * A duration typed with units ("30s", "5m", "1h30m") for a draft that keeps a number of milliseconds or seconds.
 * Text that is not a duration goes to the draft as typed, so the draft's schema refuses it too; the field says why.
 */
export function DurationField({ value, onChange, unit, placeholder, error, ...field }: DurationFieldProps) {
  const sizeMs = unitSizeMs[unit];
  const shown = (draftValue: string) => {
    const amount = Number(draftValue);
    return draftValue.trim() === '' || !Number.isFinite(amount) ? draftValue : formatDurationMs(amount * sizeMs);
  };
  const [typed, setTyped] = useState({ text: shown(value), sent: value });
  // The draft changed from elsewhere (reset, another check type): show its value.
  if (typed.sent !== value) setTyped({ text: shown(value), sent: value });

  const change = (text: string) => {
    const ms = parseDurationMs(text, sizeMs);
    const sent = text.trim() === '' || ms === null ? text : String(ms / sizeMs);
    setTyped({ text, sent });
    onChange(sent);
  };
  const unreadable =
    typed.text.trim() !== '' && parseDurationMs(typed.text, sizeMs) === null
      ? `“${typed.text.trim()}” is not a duration: write ${durationExamples}`
      : undefined;
  return (
    <Field {...field} error={unreadable ?? error}>
      {(ids) => (
        <input
          {...ids}
          type="text"
          value={typed.text}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => change(event.target.value)}
        />
      )}
    </Field>
  );
}

interface TextAreaFieldProps extends FieldProps {
  value: string;
  onChange?(value: string): void;
  placeholder?: string;
  readOnly?: boolean;
  rows?: number;
  monospace?: boolean;
}

export function TextAreaField({
  value,
  onChange,
  placeholder,
  readOnly,
  rows = 3,
  monospace,
  ...field
}: TextAreaFieldProps) {
  return (
    <Field {...field}>
      {(ids) => (
        <textarea
          {...ids}
          className={monospace ? 'monospace' : undefined}
          value={value}
          rows={rows}
          placeholder={placeholder}
          readOnly={readOnly}
          spellCheck={false}
          onChange={onChange && ((event) => onChange(event.target.value))}
        />
      )}
    </Field>
  );
}

interface SelectFieldProps<T extends string> extends FieldProps {
  value: T;
  options: readonly { value: T; label: string }[];
  onChange(value: T): void;
}

export function SelectField<T extends string>({ value, options, onChange, ...field }: SelectFieldProps<T>) {
  return (
    <Field {...field}>
      {(ids) => (
        <select {...ids} value={value} onChange={(event) => onChange(event.target.value as T)}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

interface CheckboxFieldProps {
  label: string;
  checked: boolean;
  onChange(checked: boolean): void;
  hint?: ReactNode;
  error?: string | undefined;
}

export function CheckboxField({ label, checked, onChange, hint, error }: CheckboxFieldProps) {
  const id = useId();
  return (
    <div className={['field', 'field-checkbox', error ? 'has-error' : ''].filter(Boolean).join(' ')}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        aria-describedby={hint || error ? `${id}-more` : undefined}
        aria-invalid={error ? true : undefined}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      {(hint || error) && (
        <p id={`${id}-more`} className={error ? 'field-error' : 'field-hint'}>
          {error ?? hint}
        </p>
      )}
    </div>
  );
}
