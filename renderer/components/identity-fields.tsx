import { TextAreaField, TextField } from './form-fields.js';
import { fieldBinder } from '../forms/field-binding.js';

/** The id, name and description every entry saved through an editor has. */
export interface Identity {
  id: string;
  name: string;
  description: string;
}

type IdentityErrors = Partial<Record<keyof Identity, string>>;

/** An entry's id: typed once when adding, then fixed, because it is the entry's key. */
export function IdField({
  noun,
  label = 'ID',
  value,
  onChange,
  editing,
  placeholder,
  newHint = 'a-z, 0-9, - and _',
  error,
}: {
  /** What the id names: "service", "pattern". */
  noun: string;
  label?: string;
  value: string;
  onChange(id: string): void;
  editing: boolean;
  placeholder: string;
  newHint?: string;
  error: string | undefined;
}) {
  return (
    <TextField
      label={label}
      value={value}
      onChange={onChange}
      readOnly={editing}
      placeholder={placeholder}
      hint={editing ? `The id names the ${noun} and cannot change` : newHint}
      error={error}
      spellCheck={false}
      autoComplete="off"
    />
  );
}

/** The id and name side by side, the description under them. */
export function IdentityFields({
  noun,
  values,
  errors,
  onChange,
  editing,
  placeholders,
  newIdHint,
}: {
  noun: string;
  values: Identity;
  errors: IdentityErrors;
  onChange(change: Partial<Identity>): void;
  editing: boolean;
  placeholders: { id: string; name: string };
  newIdHint?: string;
}) {
  const bind = fieldBinder(values, onChange, errors);
  return (
    <>
      <div className="field-row">
        <IdField
          noun={noun}
          {...bind('id')}
          editing={editing}
          placeholder={placeholders.id}
          {...(newIdHint === undefined ? {} : { newHint: newIdHint })}
        />
        <TextField label="Name" {...bind('name')} placeholder={placeholders.name} />
      </div>
      <DescriptionField {...bind('description')} />
    </>
  );
}

export function DescriptionField({
  label = 'Description',
  value,
  onChange,
  error,
}: {
  label?: string;
  value: string;
  onChange(description: string): void;
  error: string | undefined;
}) {
  return <TextAreaField label={label} value={value} onChange={onChange} rows={2} error={error} />;
}
