import { z } from 'zod';
import { alertLifecycleMethods } from './rpc/alert-lifecycle.js';
import { alertsMethods } from './rpc/alerts.js';
import { auditMethods } from './rpc/audit.js';
import { authMethods } from './rpc/auth.js';
import { clusterMethods } from './rpc/cluster.js';
import { desktopNotificationsMethods } from './rpc/desktop-notifications.js';
import { fleetRulesMethods } from './rpc/fleet-rules.js';
import { logsMethods } from './rpc/logs.js';
import { mergeMethods } from './rpc/method.js';
import { nodeMethods } from './rpc/node.js';
import { notificationsMethods } from './rpc/notifications.js';
import { servicesMethods } from './rpc/services.js';
import { tasksMethods } from './rpc/tasks.js';

export { CallerContext } from './rpc/caller.js';
export type { MethodSpec } from './rpc/method.js';

/** The whole RPC surface: one table per domain (`shared/rpc/<domain>.ts`), names `domain.verb`, each named once. */
export const methods = mergeMethods(
  nodeMethods,
  clusterMethods,
  servicesMethods,
  logsMethods,
  alertsMethods,
  fleetRulesMethods,
  alertLifecycleMethods,
  tasksMethods,
  auditMethods,
  authMethods,
  notificationsMethods,
  desktopNotificationsMethods,
);

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type RpcParams<M extends MethodName> = z.input<Methods[M]['request']>;
export type RpcRequest<M extends MethodName> = z.output<Methods[M]['request']>;
export type RpcResult<M extends MethodName> = z.output<Methods[M]['response']>;

export const isMethodName = (name: string): name is MethodName => Object.hasOwn(methods, name);

export const RpcErrorCode = z.enum([
  'invalid_request',
  'unauthorized',
  'forbidden',
  'rate_limited',
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
  unauthorized: 401,
  forbidden: 403,
  rate_limited: 429,
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
