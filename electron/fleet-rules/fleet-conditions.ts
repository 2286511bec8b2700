import type { AlertSeverity } from '../../shared/alerts.js';
import type { FleetRule } from '../../shared/fleet-rules.js';
import type { Member } from '../../shared/node.js';

/** Something wrong with the fleet that one rule raises an alert for, while it holds. */
export interface FleetCondition {
  /** Says which alert it is: one per rule, per rule and member, or per rule and outage kind. */
  subject: string;
  rule: FleetRule;
  severity: AlertSeverity;
  summary: string;
  labels: Record<string, string>;
  value: number | null;
  /** It must hold this long before the alert is raised. */
  holdForMs: number;
}

/** What the leader sees of the fleet when it evaluates. */
export interface FleetView {
  /** Members registered now. */
  members: Member[];
  /** Agents gone without a graceful leave, with their names. */
  down: Array<{ id: string; name: string }>;
  /** Members claiming leadership now. */
  leaderClaims: string[];
}

/** One alert per rule, per member (`member`) or per outage kind (`outage`): the same labels name the same alert. */
export const subjectOf = (ruleId: string, labels: Record<string, string>): string =>
  [ruleId, labels['member'], labels['outage']].filter((part) => part !== undefined).join('/');

/** The conditions that hold now under the enabled rules. */
export function fleetConditions(rules: readonly FleetRule[], view: FleetView): FleetCondition[] {
  return rules.filter((rule) => rule.enabled).flatMap((rule) => conditionsOf(rule, view));
}

function conditionsOf(rule: FleetRule, view: FleetView): FleetCondition[] {
  const condition = (labels: Record<string, string>, summary: string, value: number | null, holdForMs: number) => {
    const all = { fleet_rule: rule.type, ...labels };
    return { subject: subjectOf(rule.id, all), rule, severity: rule.severity, summary, labels: all, value, holdForMs };
  };
  switch (rule.type) {
    case 'member-down':
      return view.down.map(({ id, name }) =>
        condition({ member: id }, `member ${name} (${id}) is down: its lease expired`, null, rule.graceSeconds * 1000),
      );
    case 'split-brain': {
      const claims = view.leaderClaims;
      if (claims.length < 2) return [];
      const summary = `split brain: ${claims.join(', ')} claim leadership`;
      return [condition({}, summary, claims.length, rule.forSeconds * 1000)];
    }
    case 'dead-letters': {
      const dead = view.members.reduce((sum, member) => sum + (member.summary?.tasks.dead ?? 0), 0);
      if (dead < rule.threshold) return [];
      return [condition({}, `${dead} dead tasks in the fleet (threshold ${rule.threshold})`, dead, 0)];
    }
    case 'quorum-check': {
      const statuses = view.members.flatMap((member) => member.summary?.templates?.[rule.templateId] ?? []);
      const failing = statuses.filter((status) => status === 'critical').length;
      const seen = `${rule.templateId} critical on ${failing} of ${statuses.length} nodes (quorum ${rule.quorum})`;
      const holdForMs = rule.forSeconds * 1000;
      const labels = { template: rule.templateId };
      if (failing >= rule.quorum)
        return [condition({ ...labels, outage: 'down' }, `down: ${seen}`, failing, holdForMs)];
      if (failing === 0 || rule.partialSeverity === null) return [];
      const partial = condition({ ...labels, outage: 'partial' }, `partial outage: ${seen}`, failing, holdForMs);
      return [{ ...partial, severity: rule.partialSeverity }];
    }
  }
}
