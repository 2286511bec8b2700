/**
 * What a field of a draft editor takes from the draft: its value, the change that patches it, and the error at
 * its key (the field's own name unless the schema's path differs, e.g. `condition.metric`; after `prefix` for a
 * part of a larger draft, e.g. `checks.0.`). Spread it into a field: `<TextField label="Name" {...bind('name')} />`.
 */
export function fieldBinder<D extends object>(
  draft: D,
  patch: (change: Partial<D>) => void,
  errors: Readonly<Record<string, string | undefined>>,
  prefix = '',
) {
  return <K extends keyof D & string>(field: K, errorKey: string = field) => ({
    value: draft[field],
    onChange: (value: D[K]) => {
      const change: Partial<D> = {};
      change[field] = value;
      patch(change);
    },
    error: errors[`${prefix}${errorKey}`],
  });
}
