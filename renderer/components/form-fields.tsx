import { useId, type ReactNode } from 'react';

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
