import { useEffect, useId, useState } from 'react';
import { DEFAULT_MIN_CHANGE, signalValueText } from '../../../shared/anomaly.js';
import type { AlertRule } from '../../../shared/alerts.js';
import { useClient } from '../../client/client-context.js';
import { EditorForm } from '../../components/editor-form.js';
import { CheckboxField, DurationField, SelectField, TextAreaField, TextField } from '../../components/form-fields.js';
import { IdentityFields } from '../../components/identity-fields.js';
import { AlertSeverity } from '../../../shared/alerts.js';
import { isRangeOperator } from '../../../shared/alert-signals.js';
import { severityLabels } from '../../components/severity-badge.js';
import { fieldBinder } from '../../forms/field-binding.js';
import { formatDurationMs } from '../../format/duration.js';
import { useDraftSave } from '../../forms/use-draft-save.js';
import { viewHref } from '../../shell/views.js';
import { alertsSelectors, fleetRules, useAlertsStore } from '../../stores/alerts-store.js';
import { servicesSelectors, useServicesStore } from '../../stores/services-store.js';
import { RulePreviewPanel } from './rule-preview.js';
import {
  directionLabels,
  emptyRuleDraft,
  measureLabels,
  metricLabels,
  operatorLabels,
  ruleDefaults,
  ruleDraftOf,
  ruleOf,
  ruleProblemsOf,
  serviceSignalChoices,
  signalKindLabels,
  type CheckLevel,
  type RuleDraft,
} from './rule-draft.js';

const optionsOf = <T extends string>(labels: Record<T, string>) =>
  (Object.keys(labels) as T[]).map((value) => ({ value, label: labels[value] }));
const kindOptions = optionsOf(signalKindLabels);
const severityOptions = AlertSeverity.options.map((value) => ({ value, label: severityLabels[value] }));
const unitOfMetric = {
  cpu: 'percent',
  memory: 'percent',
  disk: 'percent',
  load1: 'load average',
  networkRx: 'bytes per second',
  networkTx: 'bytes per second',
} as const;
const unitOfKind = {
  checkStatus: 'checks',
  checkLatency: 'milliseconds',
  errorRate: 'percent of runs failed',
  logPattern: 'matches',
  taskQueue: 'tasks',
  anomaly: 'deviations of the worst anomalous service (0: none is)',
} as const;
const seconds = (value: number) => formatDurationMs(value * 1000);
const metricOptions = optionsOf(metricLabels);
const operatorOptions = optionsOf(operatorLabels);
const measureOptions = optionsOf(measureLabels);
const serviceSignalOptions = optionsOf(serviceSignalChoices);
const directionOptions = optionsOf(directionLabels);
const levelOptions: { value: CheckLevel; label: string }[] = [
  { value: 'critical', label: 'Critical' },
  { value: 'warning', label: 'Warning or critical' },
];

/** What each operator's clear threshold means, next to its field. */
const clearHints = {
  above: 'Once firing, resolves only at or below this value. Empty: as soon as the value is back at the threshold',
  below: 'Once firing, resolves only at or above this value. Empty: as soon as the value is back at the threshold',
  equals:
    'Once firing, resolves when the value is at least as far from the threshold as this one. Empty: when it differs',
  between: 'Once firing, keeps firing within this wider range; resolves outside it',
  outside: 'Once firing, keeps firing outside this narrower range; resolves within it',
} as const;

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
  const range = isRangeOperator(draft.operator);
  const unitHint = draft.kind === 'resource' ? unitOfMetric[draft.metric] : unitOfKind[draft.kind];
  const checked = ruleOf(draft);
  const previewable = checked.ok ? checked.rule : null;
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
        <DurationField
          label="For"
          unit="s"
          {...bind('forSeconds')}
          hint={`How long the condition must hold before the alert fires; pending until then. Default ${seconds(ruleDefaults.forSeconds)}`}
        />
        <DurationField
          label="Keep firing for"
          unit="s"
          {...bind('keepFiringForSeconds')}
          hint={`How long it stays firing after the condition cleared; coming back keeps it firing. Default ${seconds(ruleDefaults.keepFiringForSeconds)}`}
        />
        <CheckboxField
          label="Enabled"
          checked={draft.enabled}
          onChange={(enabled) => patch({ enabled })}
          error={errors.enabled}
        />
      </div>
      <TextAreaField
        label="Labels"
        rows={2}
        {...bind('labels')}
        placeholder="team=payments, page=yes"
        hint="key=value pairs, by commas or lines; every alert of the rule carries them (routing, silences)"
      />
      <p className="field-hint">
        The description may use {'{{value}}'}, {'{{threshold}}'}, {'{{node}}'} and {'{{labels.<name>}}'} (the rule’s
        labels, else the node’s).
      </p>

      <fieldset className="field-stack field-group">
        <legend>Signal</legend>
        <SelectField
          label="Fires on"
          {...bind('kind')}
          // An anomaly rule's value is 0 until a service is anomalous: "above 0" is what such a rule means.
          onChange={(kind) => patch(kind === 'anomaly' ? { kind, operator: 'above', threshold: '0' } : { kind })}
          options={kindOptions}
          error={errors['signal.kind'] ?? errors.signal}
        />

        {draft.kind === 'resource' && (
          <SelectField label="Resource" {...bind('metric', 'signal.metric')} options={metricOptions} />
        )}

        {(draft.kind === 'checkStatus' ||
          draft.kind === 'checkLatency' ||
          draft.kind === 'errorRate' ||
          draft.kind === 'anomaly') && (
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
                {...bind('otherServiceIds', 'signal.serviceIds')}
                placeholder="billing-api, queue"
                hint="Comma-separated; services this node does not have"
                spellCheck={false}
              />
              {draft.kind === 'checkStatus' && (
                <SelectField label="Check status" {...bind('status', 'signal.status')} options={levelOptions} />
              )}
              {draft.kind === 'checkLatency' && (
                <TextField
                  label="Check name"
                  {...bind('check', 'signal.check')}
                  placeholder="e.g. http"
                  hint="Empty: the slowest check in scope"
                  spellCheck={false}
                />
              )}
            </div>
          </>
        )}

        {draft.kind === 'logPattern' &&
          (patternOptions.length > 0 || draft.patternId ? (
            <SelectField
              label="Log pattern"
              {...bind('patternId', 'signal.patternId')}
              options={patternChoices}
              hint="Patterns of the fleet and of this node’s config file"
            />
          ) : (
            <TextField
              label="Log pattern"
              {...bind('patternId', 'signal.patternId')}
              placeholder="e.g. oom-killed"
              hint="No patterns known here yet: the id of a pattern the nodes define"
              spellCheck={false}
            />
          ))}

        {(draft.kind === 'checkLatency' || draft.kind === 'errorRate' || draft.kind === 'logPattern') && (
          <DurationField
            label="Window"
            unit="s"
            {...bind('windowSeconds', 'signal.windowSeconds')}
            hint={`10s to 24h. Default ${seconds(ruleDefaults.windowSeconds)}`}
          />
        )}

        {draft.kind === 'taskQueue' && (
          <SelectField label="Measure" {...bind('measure', 'signal.measure')} options={measureOptions} />
        )}

        {draft.kind === 'anomaly' && (
          <>
            <div className="field-row">
              <SelectField
                label="Service signal"
                {...bind('serviceSignal', 'signal.signal')}
                options={serviceSignalOptions}
              />
              <SelectField label="Direction" {...bind('direction', 'signal.direction')} options={directionOptions} />
            </div>
            <div className="field-row">
              <TextField
                label="Deviations"
                type="number"
                {...bind('deviations', 'signal.deviations')}
                hint={`How far from the baseline for its time of day and week counts as anomalous. Default ${ruleDefaults.deviations}`}
              />
              <TextField
                label="Minimum change"
                type="number"
                {...bind('minChange', 'signal.minChange')}
                hint={`In the signal's unit; smaller changes never count. Default ${signalValueText(draft.serviceSignal, DEFAULT_MIN_CHANGE[draft.serviceSignal])}`}
              />
            </div>
            <div className="field-row">
              <TextField
                label="Static limit above"
                type="number"
                {...bind('above', 'signal.above')}
                hint="Anomalous above this whatever the baseline says (also while it is learning). Empty: none"
              />
              <TextField
                label="Static limit below"
                type="number"
                {...bind('below', 'signal.below')}
                hint="Anomalous below this. Empty: none"
              />
            </div>
          </>
        )}
      </fieldset>

      <fieldset className="field-stack field-group">
        <legend>Condition</legend>
        <div className="field-row">
          <SelectField label="Operator" {...bind('operator')} options={operatorOptions} />
          <TextField
            label={range ? 'From' : 'Threshold'}
            type="number"
            {...bind('threshold')}
            hint={`In ${unitHint}`}
          />
          {range && <TextField label="To" type="number" {...bind('thresholdHigh')} hint="Inclusive" />}
        </div>
        <div className="field-row">
          <TextField
            label={range ? 'Clear from' : 'Clear threshold'}
            type="number"
            {...bind('clearThreshold')}
            hint={clearHints[draft.operator]}
          />
          {range && <TextField label="Clear to" type="number" {...bind('clearThresholdHigh')} />}
        </div>
      </fieldset>

      <RulePreviewPanel rule={previewable} />
    </EditorForm>
  );
}
