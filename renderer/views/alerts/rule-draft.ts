import {
  AlertRule,
  CheckCondition,
  LogPatternCondition,
  type AlertCondition,
  type AlertRuleState,
} from '../../../shared/alerts.js';
import type { Severity } from '../../../shared/log-patterns.js';
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
export type ConditionKind = AlertCondition['kind'];
export type ResourceMetric = Extract<AlertCondition, { kind: 'resource' }>['metric'];
export type CheckLevel = Extract<AlertCondition, { kind: 'check' }>['status'];

export interface RuleDraft {
  id: string;
  name: string;
  description: string;
  severity: Severity;
  enabled: boolean;
  forSeconds: string;
  kind: ConditionKind;
  metric: ResourceMetric;
  abovePercent: string;
  /** Services of this node picked from the list. */
  serviceIds: string[];
  /** Comma-separated ids of services this node does not have (a fleet rule applies on every node). */
  otherServiceIds: string;
  status: CheckLevel;
  patternId: string;
  atLeast: string;
  windowSeconds: string;
}

/** The contract's defaults, shown in the form so nobody has to guess them. */
export const ruleDefaults = {
  severity: defaultOf(AlertRule.shape.severity),
  forSeconds: defaultOf(AlertRule.shape.forSeconds),
  enabled: defaultOf(AlertRule.shape.enabled),
  status: defaultOf(CheckCondition.shape.status),
  atLeast: defaultOf(LogPatternCondition.shape.atLeast),
  windowSeconds: defaultOf(LogPatternCondition.shape.windowSeconds),
};

export const conditionKindLabels: Record<ConditionKind, string> = {
  resource: 'Resource usage',
  check: 'Health checks',
  logPattern: 'Log pattern matches',
};

export const metricLabels: Record<ResourceMetric, string> = {
  cpu: 'CPU',
  memory: 'Memory',
  disk: 'Disk (data directory)',
};

export const emptyRuleDraft = (): RuleDraft => ({
  id: '',
  name: '',
  description: '',
  severity: ruleDefaults.severity,
  enabled: ruleDefaults.enabled,
  forSeconds: String(ruleDefaults.forSeconds),
  kind: 'resource',
  metric: 'cpu',
  abovePercent: '90',
  serviceIds: [],
  otherServiceIds: '',
  status: ruleDefaults.status,
  patternId: '',
  atLeast: String(ruleDefaults.atLeast),
  windowSeconds: String(ruleDefaults.windowSeconds),
});

/** `knownServiceIds`: the services this node has, which the form offers as a list to pick from. */
export function ruleDraftOf(rule: AlertRule, knownServiceIds: readonly string[]): RuleDraft {
  const draft: RuleDraft = {
    ...emptyRuleDraft(),
    id: rule.id,
    name: rule.name,
    description: rule.description,
    severity: rule.severity,
    enabled: rule.enabled,
    forSeconds: String(rule.forSeconds),
    kind: rule.condition.kind,
  };
  const { condition } = rule;
  switch (condition.kind) {
    case 'resource':
      return { ...draft, metric: condition.metric, abovePercent: String(condition.abovePercent) };
    case 'check':
      return {
        ...draft,
        serviceIds: condition.serviceIds.filter((id) => knownServiceIds.includes(id)),
        otherServiceIds: condition.serviceIds.filter((id) => !knownServiceIds.includes(id)).join(', '),
        status: condition.status,
      };
    case 'logPattern':
      return {
        ...draft,
        patternId: condition.patternId,
        atLeast: String(condition.atLeast),
        windowSeconds: String(condition.windowSeconds),
      };
  }
}

function conditionInputOf(draft: RuleDraft): Record<string, unknown> {
  switch (draft.kind) {
    case 'resource':
      return withoutUndefined({ kind: 'resource', metric: draft.metric, abovePercent: numberOf(draft.abovePercent) });
    case 'check': {
      const others = draft.otherServiceIds
        .split(/[\s,]+/)
        .map((id) => id.trim())
        .filter(Boolean);
      return { kind: 'check', serviceIds: [...new Set([...draft.serviceIds, ...others])], status: draft.status };
    }
    case 'logPattern':
      return withoutUndefined({
        kind: 'logPattern',
        patternId: draft.patternId.trim(),
        atLeast: numberOf(draft.atLeast),
        windowSeconds: numberOf(draft.windowSeconds),
      });
  }
}

/** Field errors are keyed like the schema's issue paths: "name", "condition.abovePercent". */
export type RuleProblems = DraftProblems;

const ruleFields = new Set([
  'id',
  'name',
  'description',
  'severity',
  'enabled',
  'forSeconds',
  'condition',
  'condition.kind',
  'condition.metric',
  'condition.abovePercent',
  'condition.serviceIds',
  'condition.status',
  'condition.patternId',
  'condition.atLeast',
  'condition.windowSeconds',
]);

/**
 * Puts each issue next to the field it names: the longest leading part of its path that is a field of the
 * form ("condition.serviceIds.2" → "condition.serviceIds"). `value.` is the agent's request wrapper.
 */
export const ruleProblemsOf = (issues: readonly RpcIssue[]): RuleProblems =>
  placeIssues(issues, { fields: ruleFields, wrapper: 'value', subject: 'rule' });

export type RuleResult = { ok: true; rule: AlertRule } | ({ ok: false } & RuleProblems);

/** Validates a draft with the shared schema; the result is exactly what `fleet.alertRules.put` accepts. */
export function ruleOf(draft: RuleDraft): RuleResult {
  const local: FieldErrors = {};
  // An empty slug fails its pattern; "required" says more.
  if (draft.id.trim() === '') local.id = 'Required';
  if (draft.kind === 'logPattern' && draft.patternId.trim() === '') local['condition.patternId'] = 'Required';
  const input = withoutUndefined({
    id: draft.id.trim(),
    name: draft.name.trim(),
    description: draft.description,
    severity: draft.severity,
    enabled: draft.enabled,
    forSeconds: numberOf(draft.forSeconds),
    condition: conditionInputOf(draft),
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

const metricNames: Record<ResourceMetric, string> = { cpu: 'CPU', memory: 'memory', disk: 'disk' };

/** The condition in one line: "memory above 80 %", "a check of web, api critical". */
export function describeCondition(condition: AlertCondition): string {
  switch (condition.kind) {
    case 'resource':
      return `${metricNames[condition.metric]} above ${condition.abovePercent} %`;
    case 'check': {
      const which = condition.serviceIds.length === 0 ? 'any service' : condition.serviceIds.join(', ');
      return `a check of ${which} ${condition.status === 'warning' ? 'warning or worse' : 'critical'}`;
    }
    case 'logPattern':
      return `at least ${condition.atLeast} ${condition.atLeast === 1 ? 'match' : 'matches'} of ${condition.patternId} in ${seconds(condition.windowSeconds)}`;
  }
}

/** How long a rule's condition must hold before it fires, in words. */
export const describeFor = (forSeconds: number) => (forSeconds === 0 ? 'at once' : `after ${seconds(forSeconds)}`);

/** A measured value with its unit: percent for resources, matches for log patterns, failing checks otherwise. */
export function formatAlertValue(value: number | null, kind: ConditionKind | undefined): string {
  if (value === null) return '—';
  const rounded = Number.isInteger(value) ? String(value) : value.toFixed(1);
  switch (kind) {
    case 'resource':
      return `${rounded} %`;
    case 'logPattern':
      return `${rounded} ${value === 1 ? 'match' : 'matches'}`;
    default:
      return rounded;
  }
}

/** The kind of condition of each rule in force, so alert values can be shown with their unit. */
export const conditionKinds = (rules: readonly AlertRuleState[]): Map<string, ConditionKind> =>
  new Map(rules.map((state) => [state.rule.id, state.rule.condition.kind]));
