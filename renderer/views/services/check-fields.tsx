import type { CheckType } from '../../../shared/services.js';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/form-fields.js';
import { formatInteger, formatMs } from '../../format/numbers.js';
import type { FieldErrors } from '../../forms/draft-problems.js';
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

const timingFields: { field: TimingField; label: string; unit: 'ms' | 'count' }[] = [
  { field: 'intervalMs', label: 'Interval (ms)', unit: 'ms' },
  { field: 'timeoutMs', label: 'Timeout (ms)', unit: 'ms' },
  { field: 'retries', label: 'Retries per run', unit: 'count' },
  { field: 'failuresBeforeCritical', label: 'Failures before critical', unit: 'count' },
  { field: 'successesBeforePassing', label: 'Successes before passing', unit: 'count' },
];

const defaultHint = (field: TimingField, unit: 'ms' | 'count') => {
  const value = timingDefaults[field];
  return `Default ${unit === 'ms' ? `${formatInteger(value)} (${formatMs(value)})` : value}`;
};

/** One check of the form: its type, what the type needs, and the timing every check shares. */
export function CheckFields({ index, draft, errors, onChange, onRemove }: CheckFieldsProps) {
  const error = (field: string) => errors[`checks.${index}.${field}`];
  const text = (field: keyof CheckDraft) => (value: string) => onChange({ [field]: value });
  return (
    <fieldset className="check-fields">
      <legend>
        Check {index + 1}
        {draft.name.trim() && `: ${draft.name.trim()}`}
      </legend>
      <div className="field-row">
        <TextField
          label="Check name"
          value={draft.name}
          onChange={text('name')}
          placeholder="e.g. health"
          hint="a-z, 0-9, - and _; unique within the service"
          error={error('name')}
          spellCheck={false}
        />
        <SelectField
          label="Type"
          value={draft.type}
          options={typeOptions}
          onChange={(type) => onChange({ type })}
          error={error('type')}
        />
      </div>

      {draft.type === 'http' && (
        <>
          <div className="field-row field-row-url">
            <SelectField
              label="Method"
              value={draft.method}
              options={httpMethods.map((method) => ({ value: method, label: method }))}
              onChange={text('method')}
              error={error('method')}
            />
            <TextField
              label="URL"
              type="url"
              value={draft.url}
              onChange={text('url')}
              placeholder="http://127.0.0.1:8080/health"
              error={error('url')}
              spellCheck={false}
            />
          </div>
          <div className="field-row">
            <TextField
              label="Expected status"
              value={draft.expectStatus}
              onChange={text('expectStatus')}
              hint={`Codes or classes, comma-separated: 200, 3xx. Default ${defaultExpectStatus}`}
              error={error('expectStatus')}
            />
            <TextField
              label="Body must match (regex)"
              value={draft.bodyRegex}
              onChange={text('bodyRegex')}
              placeholder="optional"
              hint="RE2 syntax, matched anywhere in the body"
              error={error('bodyRegex')}
              spellCheck={false}
            />
          </div>
          <div className="field-row">
            <TextAreaField
              label="Request headers"
              value={draft.headers}
              onChange={text('headers')}
              placeholder={'Authorization: Bearer …\nAccept: application/json'}
              hint="One Name: value per line"
              error={error('headers')}
              monospace
            />
            <TextAreaField
              label="Request body"
              value={draft.body}
              onChange={text('body')}
              placeholder="optional, for POST/PUT/PATCH"
              error={error('body')}
              monospace
            />
          </div>
        </>
      )}

      {draft.type === 'tcp' && (
        <div className="field-row">
          <TextField
            label="Host"
            value={draft.host}
            onChange={text('host')}
            placeholder="127.0.0.1"
            error={error('host')}
            spellCheck={false}
          />
          <TextField
            label="Port"
            type="number"
            min={1}
            value={draft.port}
            onChange={text('port')}
            placeholder="5432"
            error={error('port')}
          />
        </div>
      )}

      {draft.type === 'grpc' && (
        <>
          <div className="field-row">
            <TextField
              label="Address"
              value={draft.address}
              onChange={text('address')}
              placeholder="localhost:50051"
              hint="host:port of the server"
              error={error('address')}
              spellCheck={false}
            />
            <TextField
              label="Health service name"
              value={draft.grpcService}
              onChange={text('grpcService')}
              placeholder="empty: the whole server"
              hint="As registered with grpc.health.v1"
              error={error('service')}
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
                value={draft.grpcCaFile}
                onChange={text('grpcCaFile')}
                placeholder="optional, e.g. /etc/fleetdeck/internal-ca.pem"
                hint="PEM of an extra CA to trust, for a server certificate from a private CA; read on each run"
                error={error('caFile')}
                spellCheck={false}
              />
            </div>
          )}
        </>
      )}

      {draft.type === 'script' && (
        <TextField
          label="Command name"
          value={draft.command}
          onChange={text('command')}
          placeholder="check-disk"
          hint={
            <>
              The name of a command defined under <code>commands:</code> in this node’s config file. A check never
              carries a command line; exit 0 is passing, 1 warning, anything else critical.
            </>
          }
          error={error('command')}
          spellCheck={false}
        />
      )}

      {draft.type === 'ttl' && (
        <TextField
          label="TTL (ms)"
          type="number"
          min={1000}
          value={draft.ttlMs}
          onChange={text('ttlMs')}
          placeholder="60000"
          hint="Critical when no report arrives through checks.report within this time"
          error={error('ttlMs')}
        />
      )}

      <div className="field-row field-row-timing">
        {timingFields.map(({ field, label, unit }) => (
          <TextField
            key={field}
            label={label}
            type="number"
            min={0}
            value={draft[field]}
            onChange={text(field)}
            placeholder={String(timingDefaults[field])}
            hint={defaultHint(field, unit)}
            error={error(field)}
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
