import type { AlertSeverity } from '../../../shared/alerts.js';
import { FleetRule, type FleetRuleType } from '../../../shared/fleet-rules.js';
import type { RpcIssue } from '../../../shared/rpc.js';
import {
  checkDraft,
  numberOf,
  placeIssues,
  type DraftOutcome,
  type DraftProblems,
  type FieldErrors,
} from '../../forms/draft-problems.js';

export const fleetRuleTypeLabels: Record<FleetRuleType, string> = {
  'member-down': 'Member down',
  'split-brain': 'Split brain',
  'quorum-check': 'Quorum check',
  'dead-letters': 'Dead letters',
};

/** A fleet rule as its editor holds it: every input's text as typed; fields of other types are kept, not sent. */
export interface FleetRuleDraft {
  type: FleetRuleType;
  id: string;
  name: string;
  severity: AlertSeverity;
  enabled: boolean;
  graceSeconds: string;
  forSeconds: string;
  templateId: string;
  quorum: string;
  partialSeverity: AlertSeverity | 'none';
  threshold: string;
}

export const emptyFleetRuleDraft = (): FleetRuleDraft => ({
  type: 'quorum-check',
  id: '',
  name: '',
  severity: 'critical',
  enabled: true,
  graceSeconds: '30',
  forSeconds: '0',
  templateId: '',
  quorum: '2',
  partialSeverity: 'info',
  threshold: '10',
});

export function fleetRuleDraftOf(rule: FleetRule): FleetRuleDraft {
  const { id, name, severity, enabled } = rule;
  const draft: FleetRuleDraft = { ...emptyFleetRuleDraft(), type: rule.type, id, name, severity, enabled };
  switch (rule.type) {
    case 'member-down':
      return { ...draft, graceSeconds: String(rule.graceSeconds) };
    case 'split-brain':
      return { ...draft, forSeconds: String(rule.forSeconds) };
    case 'quorum-check':
      return {
        ...draft,
        templateId: rule.templateId,
        quorum: String(rule.quorum),
        partialSeverity: rule.partialSeverity ?? 'none',
        forSeconds: String(rule.forSeconds),
      };
    case 'dead-letters':
      return { ...draft, threshold: String(rule.threshold) };
  }
}

/** The fields of the form, as the schema's issue paths name them. */
const fields = new Set([
  'type',
  'id',
  'name',
  'severity',
  'enabled',
  'graceSeconds',
  'forSeconds',
  'templateId',
  'quorum',
  'partialSeverity',
  'threshold',
]);

export const fleetRuleProblemsOf = (issues: readonly RpcIssue[]): DraftProblems =>
  placeIssues(issues, { fields, wrapper: 'value', subject: 'rule' });

/** Validates a draft with the shared schema; the value is exactly what `fleet.fleetRules.put` accepts. */
export function fleetRuleOf(draft: FleetRuleDraft): DraftOutcome<FleetRule> {
  const { type, id, name, severity, enabled } = draft;
  const base = { type, id: id.trim(), name: name.trim(), severity, enabled };
  const byType: Record<FleetRuleType, Record<string, unknown>> = {
    'member-down': { graceSeconds: numberOf(draft.graceSeconds) },
    'split-brain': { forSeconds: numberOf(draft.forSeconds) },
    'quorum-check': {
      templateId: draft.templateId.trim(),
      quorum: numberOf(draft.quorum),
      partialSeverity: draft.partialSeverity === 'none' ? null : draft.partialSeverity,
      forSeconds: numberOf(draft.forSeconds),
    },
    'dead-letters': { threshold: numberOf(draft.threshold) },
  };
  // An empty slug fails its pattern; "required" says more.
  const local: FieldErrors = id.trim() === '' ? { id: 'Required' } : {};
  return checkDraft(FleetRule, { ...base, ...byType[type] }, local, fleetRuleProblemsOf);
}

/** What a rule watches, in a line: "after 30 s without its lease", "2 of the nodes running web-http". */
export function fleetRuleSettings(rule: FleetRule): string {
  switch (rule.type) {
    case 'member-down':
      return `an agent gone without leaving, for ${rule.graceSeconds} s after its lease expired`;
    case 'split-brain':
      return `more than one member claims leadership for ${rule.forSeconds} s`;
    case 'quorum-check': {
      const partial = rule.partialSeverity ? `; fewer: partial outage (${rule.partialSeverity})` : '';
      return `template ${rule.templateId} critical on at least ${rule.quorum} nodes${partial}`;
    }
    case 'dead-letters':
      return `at least ${rule.threshold} dead tasks across the fleet`;
  }
}
