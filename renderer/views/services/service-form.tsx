import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ServiceDefinition } from '../../../shared/services.js';
import { useClient } from '../../client/client-context.js';
import { TextAreaField, TextField } from '../../components/form-fields.js';
import { useServicesStore, type Refusal } from '../../stores/services-store.js';
import { CheckFields } from './check-fields.js';
import {
  definitionOf,
  emptyServiceDraft,
  newCheckDraft,
  problemsOf,
  serviceDraftOf,
  type CheckDraft,
  type DraftProblems,
  type ServiceDraft,
} from './service-draft.js';

const noProblems: DraftProblems = { fields: {}, other: [] };

/** Adds a service, or edits one added through the UI or API (its id is then fixed: it is the service's key). */
export function ServiceForm({ editing }: { editing: ServiceDefinition | null }) {
  const client = useClient();
  const save = useServicesStore((s) => s.save);
  const openEditor = useServicesStore((s) => s.openEditor);
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<ServiceDraft>(() => (editing ? serviceDraftOf(editing) : emptyServiceDraft()));
  const [problems, setProblems] = useState<DraftProblems>(noProblems);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [saving, setSaving] = useState(false);
  const [attempt, setAttempt] = useState(0);

  // After a refused save, take the keyboard to the first field that needs attention.
  useEffect(() => {
    if (attempt === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);

  const patch = (change: Partial<ServiceDraft>) => setDraft((current) => ({ ...current, ...change }));
  const patchCheck = (key: number, change: Partial<CheckDraft>) =>
    setDraft((current) => ({
      ...current,
      checks: current.checks.map((check) => (check.key === key ? { ...check, ...change } : check)),
    }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setRefusal(null);
    const result = definitionOf(draft);
    if (!result.ok) {
      setProblems(result);
      setAttempt((n) => n + 1);
      return;
    }
    setProblems(noProblems);
    setSaving(true);
    const outcome = await save(client, result.service);
    setSaving(false);
    if (!outcome.ok) {
      setRefusal(outcome);
      setProblems(problemsOf(outcome.issues, draft));
      setAttempt((n) => n + 1);
    }
  };

  const errors = problems.fields;
  return (
    <form
      ref={formRef}
      className="card service-form"
      aria-labelledby={headingId}
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <header className="card-header">
        <h2 id={headingId}>{editing ? `Edit ${editing.name}` : 'Add service'}</h2>
      </header>

      <fieldset className="service-fields">
        <legend className="visually-hidden">Service</legend>
        <div className="field-row">
          <TextField
            label="ID"
            value={draft.id}
            onChange={(id) => patch({ id })}
            readOnly={editing !== null}
            placeholder="e.g. billing-api"
            hint={
              editing ? 'The id names the service and cannot change' : 'a-z, 0-9, - and _; used in URLs and metrics'
            }
            error={errors.id}
            spellCheck={false}
          />
          <TextField
            label="Name"
            value={draft.name}
            onChange={(name) => patch({ name })}
            placeholder="Billing API"
            error={errors.name}
          />
        </div>
        <TextAreaField
          label="Description"
          value={draft.description}
          onChange={(description) => patch({ description })}
          rows={2}
          error={errors.description}
        />
        <TextField
          label="Tags"
          value={draft.tags}
          onChange={(tags) => patch({ tags })}
          placeholder="backend, eu-west"
          hint="Comma-separated"
          error={errors.tags}
        />
        {draft.supervise && (
          <p className="muted">
            Supervised with the command <code>{draft.supervise.command}</code>; that setting is kept as it is.
          </p>
        )}
      </fieldset>

      <h3 className="form-section-title">Checks</h3>
      {errors.checks && <p className="field-error">{errors.checks}</p>}
      {draft.checks.length === 0 && <p className="muted">Without checks the service’s status stays unknown.</p>}
      {draft.checks.map((check, index) => (
        <CheckFields
          key={check.key}
          index={index}
          draft={check}
          errors={errors}
          onChange={(change) => patchCheck(check.key, change)}
          onRemove={() => patch({ checks: draft.checks.filter((c) => c.key !== check.key) })}
        />
      ))}
      <button type="button" className="button" onClick={() => patch({ checks: [...draft.checks, newCheckDraft()] })}>
        Add check
      </button>

      {problems.other.length > 0 && !refusal && (
        <div className="notice notice-error" role="alert">
          <p>Please fix:</p>
          <ul className="issue-list">
            {problems.other.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      {refusal && (
        <div className="notice notice-error" role="alert" data-testid="save-refusal">
          <p>The agent refused the service: {refusal.message}</p>
          {refusal.issues.length > 0 && (
            <ul className="issue-list">
              {refusal.issues.map((issue) => (
                <li key={`${issue.path}:${issue.message}`}>
                  <code>{issue.path.replace(/^service\./, '')}</code>: {issue.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Saving…' : editing ? 'Save changes' : 'Save service'}
        </button>
        <button type="button" className="button" onClick={() => openEditor(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
