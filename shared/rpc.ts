import { z } from 'zod';
import { EpochMs, NodeId } from './ids.js';
import { BackendUpdate, ClusterSettings, ConfigureResult } from './cluster-settings.js';
import { ClusterStatus, ConnectionTestResult, LeaderInfo, Member, NodeStatus, ResourcePoint } from './node.js';
import { CheckResult, HistoryPoint, ResultStatus, ServiceDefinition, ServiceState, Slug } from './services.js';
import { Alert, AlertRule, AlertRuleState } from './alerts.js';
import { CheckTemplate } from './check-templates.js';
import { LogMatch, LogPattern, LogPatternState, LogSourceState, PatternTestResult } from './log-patterns.js';

/** One RPC method: its request and response schemas, declared once and used by every transport. */
export interface MethodSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly request: Req;
  readonly response: Res;
  readonly summary: string;
}

const method = <Req extends z.ZodType, Res extends z.ZodType>(
  request: Req,
  response: Res,
  summary: string,
): MethodSpec<Req, Res> => ({ request, response, summary });

const NoParams = z.object({}).strict();
const CheckRef = { serviceId: Slug, check: Slug };
const TimeRange = z
  .object({ fromMs: EpochMs, toMs: EpochMs })
  .strict()
  .refine((range) => range.fromMs <= range.toMs, { message: 'fromMs must not be after toMs', path: ['fromMs'] });

/** list / put / remove of one kind of value saved once under the fleet prefix and applied by every agent. */
const fleetConfigMethods = <T extends z.ZodType>(value: T, what: string) => ({
  list: method(
    NoParams,
    z.array(z.object({ id: Slug, value: value.nullable(), problem: z.string().nullable() })),
    `${what} saved for the whole fleet; a malformed stored value comes with the problem instead.`,
  ),
  put: method(
    z.object({ value }).strict(),
    z.object({ revision: z.string() }),
    `Saves one of the ${what.toLowerCase()} for every agent; each applies it live or reports why it cannot.`,
  ),
  remove: method(
    z.object({ id: Slug }).strict(),
    z.object({ removed: z.literal(true) }),
    `Removes one of the ${what.toLowerCase()} everywhere.`,
  ),
});
const fleetLogPatterns = fleetConfigMethods(LogPattern, 'Log patterns');
const fleetAlertRules = fleetConfigMethods(AlertRule, 'Alert rules');
const fleetCheckTemplates = fleetConfigMethods(CheckTemplate, 'Check templates');

/** The whole RPC surface. Names are `domain.verb`. */
export const methods = {
  'node.status': method(NoParams, NodeStatus, 'This node: identity, role, leadership, uptime and latest resources.'),
  'cluster.members': method(NoParams, z.array(Member), 'Every registered member of the fleet.'),
  'cluster.leader': method(NoParams, LeaderInfo.nullable(), 'The current leader with its fencing token, or null.'),
  'cluster.status': method(
    NoParams,
    ClusterStatus,
    'Coordination backend, connection state and last error, leader, and the fleet facts the leader computed.',
  ),
  'cluster.testConnection': method(
    z.object({ backend: BackendUpdate }).strict(),
    ConnectionTestResult,
    'Tries a backend configuration without changing this node: reachable, auth, cluster id, member count.',
  ),
  'cluster.settings': method(
    NoParams,
    ClusterSettings,
    'The backend this node runs with (etcd password left out), where Settings saves it, and the flag that pins it.',
  ),
  'cluster.configure': method(
    z.object({ backend: BackendUpdate }).strict(),
    ConfigureResult,
    'Saves the backend in the data dir and restarts the agent on it in place; refused (conflict) when a flag sets it.',
  ),
  'cluster.call': method(
    z.object({ memberId: NodeId, method: z.string().min(1).max(100), params: z.unknown().optional() }).strict(),
    z.unknown(),
    "Calls an RPC method on another member through its API address (drill-down into what summaries don't carry).",
  ),
  'node.resources': method(
    TimeRange,
    z.object({ points: z.array(ResourcePoint) }),
    'Resource history of this node: raw samples for the last day, per-minute averages before.',
  ),
  'services.list': method(
    NoParams,
    z.array(ServiceState),
    'Every service with its checks, status, last results and uptime.',
  ),
  'services.upsert': method(
    z.object({ service: ServiceDefinition }).strict(),
    ServiceState,
    'Adds or replaces a service; applied at once. Services from the config file cannot be changed here.',
  ),
  'services.remove': method(z.object({ id: Slug }).strict(), z.object({ removed: z.boolean() }), 'Removes a service.'),
  'services.removeDemo': method(NoParams, z.object({ removed: z.number().int() }), 'Removes every demo service.'),
  'services.export': method(NoParams, z.object({ yaml: z.string() }), 'Services added through the UI or API, as YAML.'),
  'services.import': method(
    z.object({ yaml: z.string().max(1_000_000) }).strict(),
    z.object({ imported: z.array(Slug) }),
    'Adds or replaces every service in a YAML list; all or nothing.',
  ),
  'fleet.services.list': method(
    NoParams,
    z.array(z.object({ id: Slug, service: ServiceDefinition.nullable(), problem: z.string().nullable() })),
    'Services defined for the whole fleet (stored once under the fleet prefix); malformed ones with the problem.',
  ),
  'fleet.services.put': method(
    z.object({ service: ServiceDefinition }).strict(),
    z.object({ revision: z.string() }),
    'Saves a service for every agent of the fleet; each applies it live or reports why it cannot.',
  ),
  'fleet.services.remove': method(
    z.object({ id: Slug }).strict(),
    z.object({ removed: z.literal(true) }),
    'Removes a fleet service everywhere.',
  ),
  'fleet.logPatterns.list': fleetLogPatterns.list,
  'fleet.logPatterns.put': fleetLogPatterns.put,
  'fleet.logPatterns.remove': fleetLogPatterns.remove,
  'fleet.alertRules.list': fleetAlertRules.list,
  'fleet.alertRules.put': fleetAlertRules.put,
  'fleet.alertRules.remove': fleetAlertRules.remove,
  'fleet.checkTemplates.list': fleetCheckTemplates.list,
  'fleet.checkTemplates.put': fleetCheckTemplates.put,
  'fleet.checkTemplates.remove': fleetCheckTemplates.remove,
  'logs.patterns.list': method(
    NoParams,
    z.array(LogPatternState),
    "Log patterns in force on this node (its config file's and the fleet's), with recent match counts.",
  ),
  'logs.patterns.test': method(
    z
      .object({
        regex: z.string().min(1).max(1000),
        ignoreCase: z.boolean().default(false),
        lines: z.array(z.string().max(10_000)).max(500),
      })
      .strict(),
    PatternTestResult,
    'Tries a regex (RE2 syntax) on sample lines without saving it: which lines match, or why it does not compile.',
  ),
  'logs.sources': method(NoParams, z.array(LogSourceState), 'Log sources this node scans, and any it cannot read.'),
  'logs.matches': method(
    z
      .object({
        patternId: Slug.optional(),
        /** Only matches older than this one (paging back). */
        beforeId: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    z.object({ matches: z.array(LogMatch) }),
    'Lines that matched a pattern on this node, newest first.',
  ),
  'alerts.rules.list': method(
    NoParams,
    z.array(AlertRuleState),
    "Alert rules in force on this node (its config file's and the fleet's), each with its current state.",
  ),
  'alerts.list': method(
    z
      .object({
        /** open: pending and firing; all: also resolved, newest first. */
        state: z.enum(['open', 'all']).default('open'),
        ruleId: Slug.optional(),
        /** Only alerts older than this one (paging back through the history). */
        beforeId: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    z.array(Alert),
    'Alerts of this node: open ones, or the history.',
  ),
  'checks.history': method(
    z.object({ ...CheckRef, fromMs: EpochMs, toMs: EpochMs }).strict(),
    z.object({
      resolution: z.enum(['raw', 'minute']),
      /** Roll-up resolution: how many ms each point covers (a minute or more, so long ranges stay small). */
      bucketMs: z.number().int().nonnegative(),
      points: z.array(HistoryPoint),
    }),
    'Results of one check over a time range (raw within the last day, per-minute roll-ups otherwise).',
  ),
  'checks.runNow': method(z.object(CheckRef).strict(), CheckResult, 'Runs a check at once and returns its result.'),
  'checks.report': method(
    z
      .object({ ...CheckRef, status: ResultStatus.exclude(['unknown']), output: z.string().max(4096).default('') })
      .strict(),
    z.object({ accepted: z.literal(true) }),
    'Reports the result of a TTL (push) check.',
  ),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type RpcParams<M extends MethodName> = z.input<Methods[M]['request']>;
export type RpcRequest<M extends MethodName> = z.output<Methods[M]['request']>;
export type RpcResult<M extends MethodName> = z.output<Methods[M]['response']>;

export const isMethodName = (name: string): name is MethodName => Object.hasOwn(methods, name);

export const RpcErrorCode = z.enum([
  'invalid_request',
  'forbidden',
  'unknown_method',
  'not_found',
  'conflict',
  'unavailable',
  'internal',
]);
export type RpcErrorCode = z.infer<typeof RpcErrorCode>;

/** HTTP status for each error code, so both transports report failures the same way. */
export const rpcErrorStatus: Record<RpcErrorCode, number> = {
  invalid_request: 400,
  forbidden: 403,
  unknown_method: 404,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

export const RpcIssue = z.object({ path: z.string(), message: z.string() });
export type RpcIssue = z.infer<typeof RpcIssue>;

/** zod issues as the contract reports them: a dotted path naming the field, and the reason. */
export const issuesFromZod = (error: z.ZodError, prefix: Array<string | number> = []): RpcIssue[] =>
  error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.') || '(root)',
    message: issue.message,
  }));

export const RpcError = z.object({
  code: RpcErrorCode,
  message: z.string(),
  issues: z.array(RpcIssue).optional(),
  /** Set on internal errors; the same id is in the agent's log. */
  errorId: z.string().optional(),
});
export type RpcError = z.infer<typeof RpcError>;

export const RpcErrorBody = z.object({ error: RpcError });

/** What the dispatcher returns to a transport: a result, or an error that is safe to show a client. */
export type RpcOutcome = { ok: true; result: unknown } | { ok: false; error: RpcError };
export const RpcOutcome = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: RpcError }),
]);
