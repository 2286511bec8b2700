import {
  AnomalySignal,
  CheckLatencySignal,
  isRangeOperator,
  signalUnit,
  type AlertOperator,
  type AlertSignal,
  type SignalKind,
} from '../../../shared/alert-signals.js';
import { serviceSignalLabels } from '../../../shared/anomaly.js';
import { AlertRule, AlertRuleFields, type AlertRuleState, type AlertSeverity } from '../../../shared/alerts.js';
import type { RpcIssue } from '../../../shared/rpc.js';
import { formatUptime } from '../../format/duration.js';
import {
  checkDraft,
  defaultOf,
  numberOf,
  placeIssues,
  withoutUndefined,
  type DraftProblems,
  type FieldErrors,
} from '../../forms/draft-problems.js';

/**
 * The rule editor works on a draft: every input's text as typed. It becomes a rule only through the shared
 * `AlertRule` schema, so the form checks exactly what the agent will check.
 */
export type ResourceMetric = Extract<AlertSignal, { kind: 'resource' }>['metric'];
export type CheckLevel = Extract<AlertSignal, { kind: 'checkStatus' }>['status'];
export type TaskMeasure = Extract<AlertSignal, { kind: 'taskQueue' }>['measure'];
export type ServiceSignal = AnomalySignal['signal'];
export type AnomalyDirection = AnomalySignal['direction'];

export interface RuleDraft {
  id: string;
  name: string;
  description: string;
  severity: AlertSeverity;
  enabled: boolean;
  /** `key=value` pairs, separated by commas or lines. */
  labels: string;
  forSeconds: string;
  keepFiringForSeconds: string;
  kind: SignalKind;
  metric: ResourceMetric;
  /** Services of this node picked from the list. */
  serviceIds: string[];
  /** Comma-separated ids of services this node does not have (a fleet rule applies on every node). */
  otherServiceIds: string;
  status: CheckLevel;
  /** One check by name (latency); empty: every check in scope. */
  check: string;
  patternId: string;
  windowSeconds: string;
  measure: TaskMeasure;
  /** Anomaly: which signal of the services, how many deviations, the smallest change, which way, static bounds. */
  serviceSignal: ServiceSignal;
  deviations: string;
  minChange: string;
  direction: AnomalyDirection;
  above: string;
  below: string;
  operator: AlertOperator;
  threshold: string;
  thresholdHigh: string;
  clearThreshold: string;
  clearThresholdHigh: string;
}

const fields = AlertRuleFields.shape;

/** The contract's defaults, shown in the form so nobody has to guess them. */
export const ruleDefaults = {
  severity: defaultOf(fields.severity),
  forSeconds: defaultOf(fields.forSeconds),
  keepFiringForSeconds: defaultOf(fields.keepFiringForSeconds),
  enabled: defaultOf(fields.enabled),
  operator: defaultOf(fields.operator),
  windowSeconds: defaultOf(CheckLatencySignal.shape.windowSeconds),
  deviations: defaultOf(AnomalySignal.shape.deviations),
  direction: defaultOf(AnomalySignal.shape.direction),
};

export const signalKindLabels: Record<SignalKind, string> = {
  resource: 'Resource gauge',
  checkStatus: 'Check status',
  checkLatency: 'Check latency',
  errorRate: 'Service error rate',
  logPattern: 'Log pattern matches',
  taskQueue: 'Task queue',
  anomaly: 'Service anomaly',
};

export const serviceSignalChoices: Record<ServiceSignal, string> = {
  latencyP95: 'p95 latency (ms)',
  throughput: 'Throughput (requests/min)',
  errorRate: 'Error rate (%)',
};

export const directionLabels: Record<AnomalyDirection, string> = {
  both: 'Up or down',
  up: 'Up only',
  down: 'Down only',
};

export const metricLabels: Record<ResourceMetric, string> = {
  cpu: 'CPU (%)',
  memory: 'Memory (%)',
  disk: 'Disk of the data directory (%)',
  load1: 'Load average, 1 min',
  networkRx: 'Network in (bytes/s)',
  networkTx: 'Network out (bytes/s)',
};

export const operatorLabels: Record<AlertOperator, string> = {
  above: 'above',
  below: 'below',
  equals: 'equals',
  between: 'between (inclusive)',
  outside: 'outside',
};

export const measureLabels: Record<TaskMeasure, string> = { waiting: 'Tasks waiting', dead: 'Dead tasks' };

export const emptyRuleDraft = (): RuleDraft => ({
  id: '',
  name: '',
  description: '',
  severity: ruleDefaults.severity,
  enabled: ruleDefaults.enabled,
  labels: '',
  forSeconds: String(ruleDefaults.forSeconds),
  keepFiringForSeconds: String(ruleDefaults.keepFiringForSeconds),
  kind: 'resource',
  metric: 'cpu',
  serviceIds: [],
  otherServiceIds: '',
  status: 'critical',
  check: '',
  patternId: '',
  windowSeconds: String(ruleDefaults.windowSeconds),
  measure: 'dead',
  serviceSignal: 'latencyP95',
  deviations: String(ruleDefaults.deviations),
  minChange: '',
  direction: ruleDefaults.direction,
  above: '',
  below: '',
  operator: ruleDefaults.operator,
  threshold: '90',
  thresholdHigh: '',
  clearThreshold: '',
  clearThresholdHigh: '',
});

const text = (value: number | undefined) => (value === undefined ? '' : String(value));

/** `knownServiceIds`: the services this node has, which the form offers as a list to pick from. */
export function ruleDraftOf(rule: AlertRule, knownServiceIds: readonly string[]): RuleDraft {
  const draft: RuleDraft = {
    ...emptyRuleDraft(),
    id: rule.id,
    name: rule.name,
    description: rule.description,
    severity: rule.severity,
    enabled: rule.enabled,
    labels: Object.entries(rule.labels)
      .map(([key, value]) => `${key}=${value}`)
      .join(', '),
    forSeconds: String(rule.forSeconds),
    keepFiringForSeconds: String(rule.keepFiringForSeconds),
    kind: rule.signal.kind,
    operator: rule.operator,
    threshold: String(rule.threshold),
    thresholdHigh: text(rule.thresholdHigh),
    clearThreshold: text(rule.clearThreshold),
    clearThresholdHigh: text(rule.clearThresholdHigh),
  };
  const { signal } = rule;
  const services = (ids: readonly string[]) => ({
    serviceIds: ids.filter((id) => knownServiceIds.includes(id)),
    otherServiceIds: ids.filter((id) => !knownServiceIds.includes(id)).join(', '),
  });
  switch (signal.kind) {
    case 'resource':
      return { ...draft, metric: signal.metric };
    case 'checkStatus':
      return { ...draft, ...services(signal.serviceIds), status: signal.status };
    case 'checkLatency':
      return {
        ...draft,
        ...services(signal.serviceIds),
        check: signal.check ?? '',
        windowSeconds: String(signal.windowSeconds),
      };
    case 'errorRate':
      return { ...draft, ...services(signal.serviceIds), windowSeconds: String(signal.windowSeconds) };
    case 'logPattern':
      return { ...draft, patternId: signal.patternId, windowSeconds: String(signal.windowSeconds) };
    case 'taskQueue':
      return { ...draft, measure: signal.measure };
    case 'anomaly':
      return {
        ...draft,
        ...services(signal.serviceIds),
        serviceSignal: signal.signal,
        deviations: String(signal.deviations),
        minChange: text(signal.minChange),
        direction: signal.direction,
        above: text(signal.above),
        below: text(signal.below),
      };
  }
}

const listOf = (value: string) =>
  value
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);

function signalInputOf(draft: RuleDraft): Record<string, unknown> {
  const serviceIds = [...new Set([...draft.serviceIds, ...listOf(draft.otherServiceIds)])];
  const windowSeconds = numberOf(draft.windowSeconds);
  switch (draft.kind) {
    case 'resource':
      return { kind: 'resource', metric: draft.metric };
    case 'checkStatus':
      return { kind: 'checkStatus', serviceIds, status: draft.status };
    case 'checkLatency':
      return withoutUndefined({
        kind: 'checkLatency',
        serviceIds,
        check: draft.check.trim() || undefined,
        windowSeconds,
      });
    case 'errorRate':
      return withoutUndefined({ kind: 'errorRate', serviceIds, windowSeconds });
    case 'logPattern':
      return withoutUndefined({ kind: 'logPattern', patternId: draft.patternId.trim(), windowSeconds });
    case 'taskQueue':
      return { kind: 'taskQueue', measure: draft.measure };
    case 'anomaly':
      return withoutUndefined({
        kind: 'anomaly',
        serviceIds,
        signal: draft.serviceSignal,
        deviations: numberOf(draft.deviations),
        minChange: numberOf(draft.minChange),
        direction: draft.direction,
        above: numberOf(draft.above),
        below: numberOf(draft.below),
      });
  }
}

/** `key=value` pairs; a pair without `=` is refused at the labels field. */
function labelsOf(value: string): { labels: Record<string, string> } | { problem: string } {
  const labels: Record<string, string> = {};
  for (const pair of value.split(/[,\n]/).map((item) => item.trim())) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    if (at <= 0) return { problem: `"${pair}" is not key=value` };
    labels[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return { labels };
}

/** Field errors are keyed like the schema's issue paths: "name", "signal.windowSeconds". */
export type RuleProblems = DraftProblems;

const ruleFields = new Set([
  'id',
  'name',
  'description',
  'severity',
  'enabled',
  'labels',
  'forSeconds',
  'keepFiringForSeconds',
  'signal',
  'signal.kind',
  'signal.metric',
  'signal.serviceIds',
  'signal.status',
  'signal.check',
  'signal.patternId',
  'signal.windowSeconds',
  'signal.measure',
  'signal.signal',
  'signal.deviations',
  'signal.minChange',
  'signal.direction',
  'signal.above',
  'signal.below',
  'operator',
  'threshold',
  'thresholdHigh',
  'clearThreshold',
  'clearThresholdHigh',
]);

/**
 * Puts each issue next to the field it names: the longest leading part of its path that is a field of the
 * form ("signal.serviceIds.2" → "signal.serviceIds"). `value.` is the agent's request wrapper.
 */
export const ruleProblemsOf = (issues: readonly RpcIssue[]): RuleProblems =>
  placeIssues(issues, { fields: ruleFields, wrapper: 'value', subject: 'rule' });

export type RuleResult = { ok: true; rule: AlertRule } | ({ ok: false } & RuleProblems);

/** Validates a draft with the shared schema; the result is exactly what `fleet.alertRules.put` accepts. */
export function ruleOf(draft: RuleDraft): RuleResult {
  const local: FieldErrors = {};
  // An empty slug fails its pattern; "required" says more.
  if (draft.id.trim() === '') local.id = 'Required';
  if (draft.kind === 'logPattern' && draft.patternId.trim() === '') local['signal.patternId'] = 'Required';
  const labels = labelsOf(draft.labels);
  if ('problem' in labels) local.labels = labels.problem;
  const range = isRangeOperator(draft.operator);
  const input = withoutUndefined({
    id: draft.id.trim(),
    name: draft.name.trim(),
    description: draft.description,
    severity: draft.severity,
    enabled: draft.enabled,
    labels: 'labels' in labels ? labels.labels : {},
    forSeconds: numberOf(draft.forSeconds),
    keepFiringForSeconds: numberOf(draft.keepFiringForSeconds),
    signal: signalInputOf(draft),
    operator: draft.operator,
    threshold: numberOf(draft.threshold),
    thresholdHigh: range ? numberOf(draft.thresholdHigh) : undefined,
    clearThreshold: numberOf(draft.clearThreshold),
    clearThresholdHigh: range ? numberOf(draft.clearThresholdHigh) : undefined,
  });
  const checked = checkDraft(AlertRule, input, local, ruleProblemsOf);
  return checked.ok ? { ok: true, rule: checked.value } : checked;
}

/** "45 s", "5 min", "2 h"; uneven spans in full ("1 m 30 s"). */
function seconds(value: number): string {
  if (value < 60) return `${value} s`;
  if (value % 3600 === 0) return `${value / 3600} h`;
  if (value % 60 === 0 && value < 3600) return `${value / 60} min`;
  return formatUptime(value);
}

const unitSuffixes = { percent: ' %', ms: ' ms', bytesPerSecond: ' B/s', count: '', load: '' } as const;
const withUnit = (signal: AlertSignal, value: number) => `${value}${unitSuffixes[signalUnit(signal)]}`;

const metricNames: Record<ResourceMetric, string> = {
  cpu: 'CPU',
  memory: 'memory',
  disk: 'disk',
  load1: 'load (1 min)',
  networkRx: 'network in',
  networkTx: 'network out',
};

const scope = (serviceIds: readonly string[]) => (serviceIds.length === 0 ? 'any service' : serviceIds.join(', '));

/** What the signal measures, in words: "CPU", "latency of web/http over 5 min". */
export function describeSignal(signal: AlertSignal): string {
  switch (signal.kind) {
    case 'resource':
      return metricNames[signal.metric];
    case 'checkStatus':
      return `checks of ${scope(signal.serviceIds)} ${signal.status === 'warning' ? 'warning or worse' : 'critical'}`;
    case 'checkLatency':
      return `latency of ${signal.check ? `${scope(signal.serviceIds)} check ${signal.check}` : `the slowest check of ${scope(signal.serviceIds)}`} over ${seconds(signal.windowSeconds)}`;
    case 'errorRate':
      return `failed runs of ${scope(signal.serviceIds)} over ${seconds(signal.windowSeconds)}`;
    case 'logPattern':
      return `matches of ${signal.patternId} in ${seconds(signal.windowSeconds)}`;
    case 'taskQueue':
      return signal.measure === 'dead' ? 'dead tasks' : 'tasks waiting';
    case 'anomaly':
      return `deviations of ${serviceSignalLabels[signal.signal].name} of ${scope(signal.serviceIds)} from its baseline`;
  }
}

/** The condition in one line: "CPU above 90 %, clears at 80 %", "dead tasks above 0". */
export function describeCondition(rule: AlertRule): string {
  const { signal, operator, threshold, thresholdHigh, clearThreshold, clearThresholdHigh } = rule;
  const value = (n: number) => withUnit(signal, n);
  const compared = isRangeOperator(operator)
    ? `${operator} ${value(threshold)} to ${value(thresholdHigh ?? threshold)}`
    : `${operator} ${value(threshold)}`;
  let clears = '';
  if (clearThreshold !== undefined) {
    clears = isRangeOperator(operator)
      ? `, clears ${operator === 'between' ? 'outside' : 'within'} ${value(clearThreshold)} to ${value(clearThresholdHigh ?? clearThreshold)}`
      : operator === 'equals'
        ? `, clears ${value(Math.abs(clearThreshold - threshold))} away`
        : `, clears at ${value(clearThreshold)}`;
  }
  return `${describeSignal(signal)} ${compared}${clears}`;
}

/** How long a rule's condition must hold before it fires, and how long it keeps firing, in words. */
export function describeFor(rule: Pick<AlertRule, 'forSeconds' | 'keepFiringForSeconds'>): string {
  const fires = rule.forSeconds === 0 ? 'at once' : `after ${seconds(rule.forSeconds)}`;
  return rule.keepFiringForSeconds === 0 ? fires : `${fires}, keeps firing ${seconds(rule.keepFiringForSeconds)}`;
}

/** A measured value with its signal's unit; without the signal (a rule no longer in force), the bare number. */
export function formatAlertValue(value: number | null, signal: AlertSignal | undefined): string {
  if (value === null) return '—';
  const rounded = Number.isInteger(value) ? value : Number(value.toFixed(1));
  return signal ? withUnit(signal, rounded) : String(rounded);
}

/** The signal of each rule in force, so alert values can be shown with their unit. */
export const ruleSignals = (rules: readonly AlertRuleState[]): Map<string, AlertSignal> =>
  new Map(rules.map((state) => [state.rule.id, state.rule.signal]));
