import { useId, useState } from 'react';
import type { ServiceState } from '../../../shared/services.js';
import { useClient } from '../../client/client-context.js';
import type { Outcome } from '../../client/outcome.js';
import { EditorForm } from '../../components/editor-form.js';
import { TextField } from '../../components/form-fields.js';
import { IdentityFields } from '../../components/identity-fields.js';
import { fieldBinder } from '../../forms/field-binding.js';
import { useDraftSave } from '../../forms/use-draft-save.js';
import { viewHref } from '../../shell/views.js';
import { useServicesStore, type ServiceScope } from '../../stores/services-store.js';
import { CheckFields } from './check-fields.js';
import {
  definitionOf,
  emptyServiceDraft,
  newCheckDraft,
  problemsOf,
  serviceDraftOf,
  type CheckDraft,
  type ServiceDraft,
} from './service-draft.js';

const scopes: readonly { value: ServiceScope; label: string }[] = [
  { value: 'node', label: 'This node' },
  { value: 'fleet', label: 'The whole fleet' },
];

/** What saving for the whole fleet means, shown with the choice and when editing a fleet service. */
function FleetHint({ id }: { id?: string }) {
  return (
    <p id={id} className="field-hint">
      Every agent of the fleet applies it at once; it is changed or removed for all of them, never on one node. Script
      checks and supervised services name commands from each node’s own config: an agent that lacks one reports a config
      error, shown in <a href={viewHref('nodes')}>Nodes</a>.
    </p>
  );
}

/**
 * Adds a service for this node or the whole fleet, or edits one added through the UI, the API or for the fleet
 * (its id is then fixed: it is the service's key, and where it is saved stays as it is).
 */
export function ServiceForm({ editing }: { editing: ServiceState | null }) {
  const client = useClient();
  const save = useServicesStore((s) => s.save);
  const saveForFleet = useServicesStore((s) => s.saveForFleet);
  const openEditor = useServicesStore((s) => s.openEditor);
  const services = useServicesStore((s) => s.services);
  const scopeHintId = useId();
  const [draft, setDraft] = useState<ServiceDraft>(() =>
    editing ? serviceDraftOf(editing.definition) : emptyServiceDraft(),
  );
  const [scope, setScope] = useState<ServiceScope>(editing?.source === 'fleet' ? 'fleet' : 'node');
  const editor = useDraftSave();
  const { problems, refuse, save: saveDraft } = editor;

  const patch = (change: Partial<ServiceDraft>) => setDraft((current) => ({ ...current, ...change }));
  const patchCheck = (key: number, change: Partial<CheckDraft>) =>
    setDraft((current) => ({
      ...current,
      checks: current.checks.map((check) => (check.key === key ? { ...check, ...change } : check)),
    }));

  const submit = async () => {
    const result = definitionOf(draft);
    if (!result.ok) return refuse(result);
    // The fleet would accept it, but this node keeps its own service of that id and reports a config error.
    const own = scope === 'fleet' ? services.find((s) => s.definition.id === result.service.id) : undefined;
    if (own && own.source !== 'fleet') {
      return refuse({
        fields: { id: 'This node already has its own service with this id, so the fleet’s would not apply here' },
        other: [],
      });
    }
    await saveDraft(
      (): Promise<Outcome<unknown>> =>
        scope === 'fleet' ? saveForFleet(client, result.service) : save(client, result.service),
      (issues) => problemsOf(issues, draft),
    );
  };

  const errors = problems.fields;
  const bind = fieldBinder(draft, patch, errors);
  return (
    <EditorForm
      editor={editor}
      className="service-form"
      title={
        editing ? `Edit ${editing.definition.name}${scope === 'fleet' ? ' for the whole fleet' : ''}` : 'Add service'
      }
      onSubmit={submit}
      refusalShown={{ lead: 'The agent refused the service', wrapper: 'service', testId: 'save-refusal' }}
      saveLabel={editing ? 'Save changes' : scope === 'fleet' ? 'Save for the whole fleet' : 'Save service'}
      onCancel={() => openEditor(null)}
    >
      {editing ? (
        scope === 'fleet' && (
          <div className="notice scope-notice">
            <p>Saved for the whole fleet, not just this node.</p>
            <FleetHint />
          </div>
        )
      ) : (
        <fieldset className="scope-choice" aria-describedby={scopeHintId}>
          <legend>Save for</legend>
          <div className="segmented">
            {scopes.map((option) => (
              <label key={option.value} className={scope === option.value ? 'is-checked' : undefined}>
                <input
                  type="radio"
                  name="scope"
                  value={option.value}
                  checked={scope === option.value}
                  onChange={() => setScope(option.value)}
                />
                {option.label}
              </label>
            ))}
          </div>
          {scope === 'fleet' ? (
            <FleetHint id={scopeHintId} />
          ) : (
            <p id={scopeHintId} className="field-hint">
              Stored and checked on this node only.
            </p>
          )}
        </fieldset>
      )}

      <fieldset className="field-stack">
        <legend className="visually-hidden">Service</legend>
        <IdentityFields
          noun="service"
          values={draft}
          errors={errors}
          onChange={patch}
          editing={editing !== null}
          placeholders={{ id: 'e.g. billing-api', name: 'Billing API' }}
          newIdHint="a-z, 0-9, - and _; used in URLs and metrics"
        />
        <TextField label="Tags" {...bind('tags')} placeholder="backend, eu-west" hint="Comma-separated" />
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
    </EditorForm>
  );
}
