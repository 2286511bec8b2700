import { useEffect, useId, useState } from 'react';
import type { AlertRule } from '../../../shared/alerts.js';
import { useClient } from '../../client/client-context.js';
import { EditorForm } from '../../components/editor-form.js';
import { CheckboxField, SelectField, TextField } from '../../components/form-fields.js';
import { IdentityFields } from '../../components/identity-fields.js';
import { severityOptions } from '../../components/severity-badge.js';
import { fieldBinder } from '../../forms/field-binding.js';
import { useDraftSave } from '../../forms/use-draft-save.js';
import { viewHref } from '../../shell/views.js';
import { alertsSelectors, fleetRules, useAlertsStore } from '../../stores/alerts-store.js';
import { servicesSelectors, useServicesStore } from '../../stores/services-store.js';
import {
  conditionKindLabels,
  emptyRuleDraft,
  metricLabels,
  ruleDefaults,
  ruleDraftOf,
  ruleOf,
  ruleProblemsOf,
  type CheckLevel,
  type ConditionKind,
  type ResourceMetric,
  type RuleDraft,
} from './rule-draft.js';

const kindOptions = (Object.keys(conditionKindLabels) as ConditionKind[]).map((kind) => ({
  value: kind,
  label: conditionKindLabels[kind],
}));
const metricOptions = (Object.keys(metricLabels) as ResourceMetric[]).map((metric) => ({
  value: metric,
  label: metricLabels[metric],
}));
const levelOptions: { value: CheckLevel; label: string }[] = [
  { value: 'critical', label: 'Critical' },
  { value: 'warning', label: 'Warning or critical' },
];

/** Adds an alert rule for the whole fleet, or edits one (its id is then fixed: it is the rule's key). */
export function RuleForm({ editing }: { editing: AlertRule | null }) {
  const client = useClient();
  const saveRule = fleetRules.useStore((s) => s.put);
  const openEditor = fleetRules.useStore((s) => s.openEditor);
  const patternOptions = useAlertsStore(alertsSelectors.patternOptions);
  const loadPatternOptions = useAlertsStore((s) => s.loadPatternOptions);
  const services = useServicesStore(servicesSelectors.services);
  const servicesReceivedAt = useServicesStore(servicesSelectors.receivedAt);
  const loadServices = useServicesStore((s) => s.load);
  const serviceIds = services.map((s) => s.definition.id).sort();
  const headingId = useId();
  const [draft, setDraft] = useState<RuleDraft>(() => (editing ? ruleDraftOf(editing, serviceIds) : emptyRuleDraft()));
  const editor = useDraftSave();
  const { problems, refuse, save } = editor;

  // The service list and pattern ids are offered as choices; fetch them if no view has yet.
  useEffect(() => {
    if (servicesReceivedAt === null) void loadServices(client);
    void loadPatternOptions(client);
  }, [client, servicesReceivedAt, loadServices, loadPatternOptions]);

  const patch = (change: Partial<RuleDraft>) => setDraft((current) => ({ ...current, ...change }));
  const errors = problems.fields;
  const bind = fieldBinder(draft, patch, errors);

  const submit = async () => {
    const result = ruleOf(draft);
    if (!result.ok) return refuse(result);
    await save(() => saveRule(client, result.rule), ruleProblemsOf);
  };

  const toggleService = (id: string, checked: boolean) =>
    patch({ serviceIds: checked ? [...draft.serviceIds, id] : draft.serviceIds.filter((s) => s !== id) });
  const patternChoices = [
    { value: '', label: 'Choose a pattern…' },
    ...patternOptions.map((p) => ({ value: p.id, label: `${p.id} (${p.name}, ${p.source})` })),
    ...(draft.patternId && !patternOptions.some((p) => p.id === draft.patternId)
      ? [{ value: draft.patternId, label: `${draft.patternId} (not known here)` }]
      : []),
  ];

  return (
    <EditorForm
      editor={editor}
      className="rule-form"
      title={editing ? `Edit ${editing.name} for the whole fleet` : 'Add alert rule for the whole fleet'}
      onSubmit={submit}
      refusalShown={{ lead: 'The agent refused the rule', wrapper: 'value', testId: 'rule-refusal' }}
      saveLabel={editing ? 'Save changes' : 'Save for the whole fleet'}
      onCancel={() => openEditor(null)}
    >
      <p className="field-hint">
        Every agent of the fleet evaluates the rule on its own data and raises its own alerts; it is changed or removed
        for all of them at once. An agent that cannot apply it reports a config error, shown under Across the fleet
        below and in <a href={viewHref('nodes')}>Nodes</a>.
      </p>

      <IdentityFields
        noun="rule"
        values={draft}
        errors={errors}
        onChange={patch}
        editing={editing !== null}
        placeholders={{ id: 'e.g. high-cpu', name: 'High CPU' }}
      />
      <div className="field-row">
        <SelectField label="Severity" {...bind('severity')} options={severityOptions} />
        <TextField
          label="For (seconds)"
          type="number"
          min={0}
          {...bind('forSeconds')}
          hint={`How long the condition must hold before the alert fires; pending until then. Default ${ruleDefaults.forSeconds}`}
        />
        <CheckboxField
          label="Enabled"
          checked={draft.enabled}
          onChange={(enabled) => patch({ enabled })}
          error={errors.enabled}
        />
      </div>

      <fieldset className="field-stack field-group">
        <legend>Condition</legend>
        <SelectField
          label="Fires on"
          {...bind('kind')}
          options={kindOptions}
          error={errors['condition.kind'] ?? errors.condition}
        />

        {draft.kind === 'resource' && (
          <div className="field-row">
            <SelectField label="Resource" {...bind('metric', 'condition.metric')} options={metricOptions} />
            <TextField
              label="Above (%)"
              type="number"
              min={0}
              step={1}
              {...bind('abovePercent', 'condition.abovePercent')}
              hint="Share of the node’s capacity, 0 to 100"
            />
          </div>
        )}

        {draft.kind === 'check' && (
          <>
            <fieldset className="service-picks field-stack field-group" aria-describedby={`${headingId}-services-hint`}>
              <legend>Services</legend>
              {serviceIds.length === 0 ? (
                <p className="muted">This node has no services to pick from.</p>
              ) : (
                <div className="service-pick-list">
                  {serviceIds.map((id) => (
                    <CheckboxField
                      key={id}
                      label={id}
                      checked={draft.serviceIds.includes(id)}
                      onChange={(checked) => toggleService(id, checked)}
                    />
                  ))}
                </div>
              )}
              <p id={`${headingId}-services-hint`} className="field-hint">
                None picked: every service. Services of other nodes can be named below.
              </p>
            </fieldset>
            <div className="field-row">
              <TextField
                label="Other service ids"
                {...bind('otherServiceIds', 'condition.serviceIds')}
                placeholder="billing-api, queue"
                hint="Comma-separated; services this node does not have"
                spellCheck={false}
              />
              <SelectField label="Check status" {...bind('status', 'condition.status')} options={levelOptions} />
            </div>
          </>
        )}

        {draft.kind === 'logPattern' && (
          <div className="field-row">
            {patternOptions.length > 0 || draft.patternId ? (
              <SelectField
                label="Log pattern"
                {...bind('patternId', 'condition.patternId')}
                options={patternChoices}
                hint="Patterns of the fleet and of this node’s config file"
              />
            ) : (
              <TextField
                label="Log pattern"
                {...bind('patternId', 'condition.patternId')}
                placeholder="e.g. oom-killed"
                hint="No patterns known here yet: the id of a pattern the nodes define"
                spellCheck={false}
              />
            )}
            <TextField
              label="At least (matches)"
              type="number"
              min={1}
              {...bind('atLeast', 'condition.atLeast')}
              hint={`Default ${ruleDefaults.atLeast}`}
            />
            <TextField
              label="Window (seconds)"
              type="number"
              min={10}
              {...bind('windowSeconds', 'condition.windowSeconds')}
              hint={`10 to 86,400. Default ${ruleDefaults.windowSeconds}`}
            />
          </div>
        )}
      </fieldset>
    </EditorForm>
  );
}
