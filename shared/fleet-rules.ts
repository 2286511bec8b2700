import { z } from 'zod';
import { AlertSeverity } from './alerts.js';
import { Slug } from './services.js';

/**
 * The node id fleet alerts are published under (`alerts/records/fleet/<n>`): raised once for the whole fleet by the
 * leader. A real node may not take it (the agent config refuses it).
 */
export const FLEET_NODE = 'fleet';

const ruleFields = {
  id: Slug,
  name: z.string().min(1).max(128),
  severity: AlertSeverity,
  enabled: z.boolean().default(true),
};

/** An agent whose lease expired without a graceful leave, still gone after `graceSeconds` (a console's is not). */
const MemberDownRule = z
  .object({ ...ruleFields, type: z.literal('member-down'), graceSeconds: z.number().int().min(0).max(86_400) })
  .strict();

/** More than one member claims leadership for `forSeconds`. */
const SplitBrainRule = z
  .object({ ...ruleFields, type: z.literal('split-brain'), forSeconds: z.number().int().min(0).max(3600) })
  .strict();

/**
 * A check template run from several nodes, judged as one: it is down when at least `quorum` of the nodes running it
 * see it critical (raised at `severity`), a partial outage when some do but fewer than `quorum` (raised at
 * `partialSeverity`; null: not raised).
 */
const QuorumCheckRule = z
  .object({
    ...ruleFields,
    type: z.literal('quorum-check'),
    templateId: Slug,
    quorum: z.number().int().min(1).max(1000),
    partialSeverity: AlertSeverity.nullable().default('info'),
    forSeconds: z.number().int().min(0).max(3600).default(0),
  })
  .strict();

/** Dead tasks (the dead-letter queue) summed over the fleet's nodes reach `threshold`. */
const DeadLettersRule = z
  .object({ ...ruleFields, type: z.literal('dead-letters'), threshold: z.number().int().min(1).max(1_000_000) })
  .strict();

/** A rule on the fleet as a whole, evaluated by the leader only; saved as a fleet value (`fleet.fleetRules.*`). */
export const FleetRule = z.discriminatedUnion('type', [
  MemberDownRule,
  SplitBrainRule,
  QuorumCheckRule,
  DeadLettersRule,
]);
export type FleetRule = z.infer<typeof FleetRule>;
export type FleetRuleInput = z.input<typeof FleetRule>;
export type FleetRuleType = FleetRule['type'];

/** In force until a fleet value with the same id replaces them (disable one by saving it with `enabled: false`). */
export const DEFAULT_FLEET_RULES: readonly FleetRule[] = [
  {
    id: 'member-down',
    name: 'Member down',
    type: 'member-down',
    severity: 'critical',
    enabled: true,
    graceSeconds: 30,
  },
  { id: 'split-brain', name: 'Split brain', type: 'split-brain', severity: 'emergency', enabled: true, forSeconds: 5 },
  { id: 'dead-letters', name: 'Dead letters', type: 'dead-letters', severity: 'warning', enabled: true, threshold: 10 },
];

/** The rules in force: the defaults, each replaced by a saved rule of the same id, then the other saved rules. */
export function effectiveFleetRules(saved: readonly FleetRule[]): FleetRule[] {
  const byId = new Map(saved.map((rule) => [rule.id, rule]));
  const defaults = DEFAULT_FLEET_RULES.map((rule) => byId.get(rule.id) ?? rule);
  const defaultIds = new Set(DEFAULT_FLEET_RULES.map((rule) => rule.id));
  return [...defaults, ...saved.filter((rule) => !defaultIds.has(rule.id))];
}
