import { z } from 'zod';
import { Member, NodeStatus } from './node.js';

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

/** The whole RPC surface. Names are `domain.verb`. */
export const methods = {
  'node.status': method(NoParams, NodeStatus, 'This node: identity, role, leadership, uptime and latest resources.'),
  'cluster.members': method(NoParams, z.array(Member), 'Every registered member of the fleet.'),
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
