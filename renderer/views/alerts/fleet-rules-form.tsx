import { useState } from 'react';
import { AlertSeverity } from '../../../shared/alerts.js';
import type { FleetRule, FleetRuleType } from '../../../shared/fleet-rules.js';
import { useClient } from '../../client/client-context.js';
import { EditorForm } from '../../components/editor-form.js';
import { CheckboxField, DurationField, SelectField, TextField } from '../../components/form-fields.js';
import { IdField } from '../../components/identity-fields.js';
import { severityLabels } from '../../components/severity-badge.js';
import { fieldBinder } from '../../forms/field-binding.js';
import { useDraftSave } from '../../forms/use-draft-save.js';
import {
  emptyFleetRuleDraft,
  fleetRuleDraftOf,
  fleetRuleOf,
  fleetRuleProblemsOf,
  fleetRuleTypeLabels,
  type FleetRuleDraft,
} from './fleet-rules-draft.js';
import { fleetRuleEntries } from './fleet-rules-store.js';

const severityOptions = AlertSeverity.options.map((value) => ({ value, label: severityLabels[value] }));
/** A partial outage may also raise nothing. */
const partialSeverityOptions = [{ value: 'none' as const, label: 'Not raised' }, ...severityOptions];
const typeOptions = (Object.keys(fleetRuleTypeLabels) as FleetRuleType[]).map((type) => ({
  value: type,
  label: fleetRuleTypeLabels[type],
}));

/**
 * Adds a fleet rule or edits one (a default rule is edited into a saved one of the same id). Only the leader
 * evaluates them; what they raise is one alert for the whole fleet, under node "fleet".
 */
export function FleetRuleForm({ editing }: { editing: FleetRule | null }) {
  const client = useClient();
  const put = fleetRuleEntries.useStore((s) => s.put);
  const openEditor = fleetRuleEntries.useStore((s) => s.openEditor);
  const [draft, setDraft] = useState<FleetRuleDraft>(() =>
    editing ? fleetRuleDraftOf(editing) : emptyFleetRuleDraft(),
  );
  const editor = useDraftSave();
  const { problems, refuse, save } = editor;
  const patch = (change: Partial<FleetRuleDraft>) => setDraft((current) => ({ ...current, ...change }));
  const errors = problems.fields;
  const bind = fieldBinder(draft, patch, errors);

  const submit = async () => {
    const result = fleetRuleOf(draft);
    if (!result.ok) return refuse(result);
    await save(() => put(client, result.value), fleetRuleProblemsOf);
  };
  const forSeconds = (hint: string) => <DurationField label="For" unit="s" {...bind('forSeconds')} hint={hint} />;

  return (
    <EditorForm
      editor={editor}
      className="fleet-rule-form"
      testId="fleet-rule-form"
      title={editing ? `Edit fleet rule ${editing.name}` : 'Add fleet rule'}
      onSubmit={submit}
      refusalShown={{ lead: 'The agent refused the fleet rule', wrapper: 'value', testId: 'fleet-rule-refusal' }}
      saveLabel={editing ? 'Save changes' : 'Save for the whole fleet'}
      onCancel={() => openEditor(null)}
    >
      <div className="field-row">
        {editing ? null : <SelectField label="Type" {...bind('type')} options={typeOptions} />}
        <IdField
          noun="fleet rule"
          value={draft.id}
          onChange={(id) => patch({ id })}
          editing={editing !== null}
          placeholder="e.g. web-quorum"
          error={errors.id}
        />
        <TextField label="Name" {...bind('name')} placeholder="Web reachable from everywhere" />
      </div>
      <div className="field-row">
        <SelectField label="Severity" {...bind('severity')} options={severityOptions} />
        <CheckboxField label="Enabled" checked={draft.enabled} onChange={(enabled) => patch({ enabled })} />
      </div>

      {draft.type === 'member-down' && (
        <DurationField
          label="Grace"
          unit="s"
          {...bind('graceSeconds')}
          hint="After its lease expired, how long an agent may stay gone before the alert is raised"
        />
      )}
      {draft.type === 'split-brain' && forSeconds('How long two or more members must claim leadership')}
      {draft.type === 'quorum-check' && (
        <>
          <div className="field-row">
            <TextField
              label="Check template"
              {...bind('templateId')}
              placeholder="e.g. web-http"
              hint="The id of a fleet check template: every node running it votes"
              spellCheck={false}
            />
            <TextField
              label="Quorum (K nodes)"
              type="number"
              min={1}
              {...bind('quorum')}
              hint="Down when at least this many nodes see it critical"
            />
          </div>
          <div className="field-row">
            <SelectField
              label="Partial outage"
              {...bind('partialSeverity')}
              options={partialSeverityOptions}
              hint="Raised when some nodes, fewer than the quorum, see it critical"
            />
            {forSeconds('How long a verdict must stand before it is raised: nodes report one by one')}
          </div>
        </>
      )}
      {draft.type === 'dead-letters' && (
        <TextField
          label="Threshold (dead tasks)"
          type="number"
          min={1}
          {...bind('threshold')}
          hint="Raised when the dead tasks of all nodes add up to at least this"
        />
      )}
    </EditorForm>
  );
}
