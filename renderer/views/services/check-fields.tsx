import type { CheckType } from '../../../shared/services.js';
import { CheckboxField, DurationField, SelectField, TextAreaField, TextField } from '../../components/form-fields.js';
import { durationExamples, formatDurationMs } from '../../format/duration.js';
import type { FieldErrors } from '../../forms/draft-problems.js';
import { fieldBinder } from '../../forms/field-binding.js';
import {
  checkTypeLabels,
  defaultExpectStatus,
  httpMethods,
  timingDefaults,
  type CheckDraft,
  type TimingField,
} from './service-draft.js';

interface CheckFieldsProps {
  index: number;
  draft: CheckDraft;
  errors: FieldErrors;
  onChange(patch: Partial<CheckDraft>): void;
  onRemove(): void;
}

const typeOptions = (Object.keys(checkTypeLabels) as CheckType[]).map((type) => ({
  value: type,
  label: checkTypeLabels[type],
}));

const durationFields: { field: TimingField; label: string }[] = [
  { field: 'intervalMs', label: 'Interval' },
  { field: 'timeoutMs', label: 'Timeout' },
];

const countFields: { field: TimingField; label: string }[] = [
  { field: 'retries', label: 'Retries per run' },
  { field: 'failuresBeforeCritical', label: 'Failures before critical' },
  { field: 'successesBeforePassing', label: 'Successes before passing' },
];

/** One check of the form: its type, what the type needs, and the timing every check shares. */
export function CheckFields({ index, draft, errors, onChange, onRemove }: CheckFieldsProps) {
  const prefix = `checks.${index}.`;
  const bind = fieldBinder(draft, onChange, errors, prefix);
  const error = (field: string) => errors[`${prefix}${field}`];
  return (
    <fieldset className="check-fields field-stack field-group">
      <legend>
        Check {index + 1}
        {draft.name.trim() && `: ${draft.name.trim()}`}
      </legend>
      <div className="field-row">
        <TextField
          label="Check name"
          {...bind('name')}
          placeholder="e.g. health"
          hint="a-z, 0-9, - and _; unique within the service"
          spellCheck={false}
        />
        <SelectField label="Type" {...bind('type')} options={typeOptions} />
      </div>

      {draft.type === 'http' && (
        <>
          <div className="field-row field-row-url">
            <SelectField
              label="Method"
              {...bind('method')}
              options={httpMethods.map((method) => ({ value: method, label: method }))}
            />
            <TextField
              label="URL"
              type="url"
              {...bind('url')}
              placeholder="http://127.0.0.1:8080/health"
              spellCheck={false}
            />
          </div>
          <div className="field-row">
            <TextField
              label="Expected status"
              {...bind('expectStatus')}
              hint={`Codes or classes, comma-separated: 200, 3xx. Default ${defaultExpectStatus}`}
            />
            <TextField
              label="Body must match (regex)"
              {...bind('bodyRegex')}
              placeholder="optional"
              hint="RE2 syntax, matched anywhere in the body"
              spellCheck={false}
            />
          </div>
          <div className="field-row">
            <TextAreaField
              label="Request headers"
              {...bind('headers')}
              placeholder={'Authorization: Bearer …\nAccept: application/json'}
              hint="One Name: value per line"
              monospace
            />
            <TextAreaField
              label="Request body"
              {...bind('body')}
              placeholder="optional, for POST/PUT/PATCH"
              monospace
            />
          </div>
        </>
      )}

      {draft.type === 'tcp' && (
        <div className="field-row">
          <TextField label="Host" {...bind('host')} placeholder="127.0.0.1" spellCheck={false} />
          <TextField label="Port" type="number" min={1} {...bind('port')} placeholder="5432" />
        </div>
      )}

      {draft.type === 'grpc' && (
        <>
          <div className="field-row">
            <TextField
              label="Address"
              {...bind('address')}
              placeholder="localhost:50051"
              hint="host:port of the server"
              spellCheck={false}
            />
            <TextField
              label="Health service name"
              {...bind('grpcService', 'service')}
              placeholder="empty: the whole server"
              hint="As registered with grpc.health.v1"
              spellCheck={false}
            />
            <CheckboxField
              label="Use TLS"
              checked={draft.tls}
              onChange={(tls) => onChange({ tls })}
              error={error('tls')}
            />
          </div>
          {draft.tls && (
            <div className="field-row">
              <TextField
                label="CA file"
                {...bind('grpcCaFile', 'caFile')}
                placeholder="optional, e.g. /etc/fleetdeck/internal-ca.pem"
                hint="PEM of an extra CA to trust, for a server certificate from a private CA; read on each run"
                spellCheck={false}
              />
            </div>
          )}
        </>
      )}

      {draft.type === 'script' && (
        <TextField
          label="Command name"
          {...bind('command')}
          placeholder="check-disk"
          hint={
            <>
              The name of a command defined under <code>commands:</code> in this node’s config file. A check never
              carries a command line; exit 0 is passing, 1 warning, anything else critical.
            </>
          }
          spellCheck={false}
        />
      )}

      {draft.type === 'ttl' && (
        <DurationField
          label="TTL"
          unit="ms"
          {...bind('ttlMs')}
          placeholder="1m"
          hint={`Critical when no report arrives through checks.report within this time; e.g. ${durationExamples}`}
        />
      )}

      <div className="field-row field-row-timing">
        {durationFields.map(({ field, label }) => (
          <DurationField
            key={field}
            label={label}
            unit="ms"
            {...bind(field)}
            placeholder={formatDurationMs(timingDefaults[field])}
            hint={`Default ${formatDurationMs(timingDefaults[field])}; e.g. ${durationExamples}`}
          />
        ))}
        {countFields.map(({ field, label }) => (
          <TextField
            key={field}
            label={label}
            type="number"
            min={0}
            {...bind(field)}
            placeholder={String(timingDefaults[field])}
            hint={`Default ${timingDefaults[field]}`}
          />
        ))}
      </div>
      {error('retryBaseMs') && <p className="field-error">Retry backoff: {error('retryBaseMs')}</p>}

      <button type="button" className="button button-quiet" onClick={onRemove}>
        Remove check {index + 1}
      </button>
    </fieldset>
  );
}
