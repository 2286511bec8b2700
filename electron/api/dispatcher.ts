import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  issuesFromZod,
  type CallerContext,
  isMethodName,
  methods,
  type MethodName,
  type RpcOutcome,
  type RpcRequest,
  type RpcResult,
} from '../../shared/rpc.js';
import type { Logger } from '../core/logger.js';
import { CodedError } from '../core/coded-error.js';
import { NoParams } from '../../shared/rpc/method.js';
import { methodScopes } from '../../shared/rpc/scopes.js';
import { scopeAllows, type Scope } from '../../shared/auth.js';

export type Handler<M extends MethodName> = (
  params: RpcRequest<M>,
  caller: CallerContext,
) => Promise<RpcResult<M>> | RpcResult<M>;
export type HandlerTable = { [M in MethodName]: Handler<M> };

export interface Dispatcher {
  /** Validates params, runs the handler, validates its result. Never throws: failures come back as safe outcomes. */
  call(method: string, params: unknown, caller: CallerContext): Promise<RpcOutcome>;
}

/** What the dispatcher tells `onCall` of each call once it is answered (metrics, audit). */
export interface CallRecord {
  /** 'unknown' for names outside the contract. */
  method: MethodName | 'unknown';
  /** The validated params (defaults filled in), or the params as they came when they were refused before that. */
  params: unknown;
  caller: CallerContext;
  outcome: RpcOutcome;
  seconds: number;
}

export interface DispatcherOptions {
  logger: Logger;
  /** Told about every call. */
  onCall?: (call: CallRecord) => void;
}

/** The one place where every transport's calls meet the handler table. */
export function createDispatcher(handlers: HandlerTable, { logger, onCall }: DispatcherOptions): Dispatcher {
  // A handler may answer with the very frozen object it answered before (the member list is kept, frozen, until it
  // changes): that one is not checked again, which at 10,000 members would cost more than building the list.
  const checkedAnswers = new WeakMap<object, { schema: unknown; data: unknown }>();
  const checkAnswer = (schema: z.ZodType, result: unknown): unknown => {
    const kept = typeof result === 'object' && result !== null && Object.isFrozen(result) ? result : null;
    const known = kept && checkedAnswers.get(kept);
    if (known && known.schema === schema) return known.data;
    const checked = schema.safeParse(result);
    if (!checked.success) throw new Error(`handler result violates the contract: ${checked.error.message}`);
    if (kept) checkedAnswers.set(kept, { schema, data: checked.data });
    return checked.data;
  };
  /** `seen.params` becomes the validated params once they are. */
  const dispatch = async (
    method: MethodName,
    params: unknown,
    caller: CallerContext,
    seen: { params: unknown },
  ): Promise<RpcOutcome> => {
    const spec = methods[method];
    const notObject = paramsShapeProblem(spec.request, params) ?? relayedParamsProblem(method, params);
    if (notObject) {
      return { ok: false, error: { code: 'invalid_request', message: `invalid params for ${method}: ${notObject}` } };
    }
    const request = spec.request.safeParse(params ?? {});
    if (!request.success) {
      return {
        ok: false,
        error: {
          code: 'invalid_request',
          message: `invalid params for ${method}`,
          issues: issuesFromZod(request.error),
        },
      };
    }
    seen.params = request.data;
    try {
      const result = await (handlers[method] as (p: unknown, c: CallerContext) => unknown)(request.data, caller);
      return { ok: true, result: checkAnswer(spec.response as z.ZodType, result) };
    } catch (error) {
      if (error instanceof CodedError) {
        const issues = error.issues ? { issues: error.issues } : {};
        return { ok: false, error: { code: error.code, message: error.message, ...issues } };
      }
      const errorId = randomUUID();
      logger.error({ err: error, errorId, method }, 'rpc handler failed');
      return { ok: false, error: { code: 'internal', message: `internal error (id ${errorId})`, errorId } };
    }
  };

  return {
    async call(method, params, caller) {
      const started = performance.now();
      const seen = { params };
      const outcome: RpcOutcome = isMethodName(method)
        ? (scopeRefusal(method, params, caller) ?? (await dispatch(method, params, caller, seen)))
        : { ok: false, error: { code: 'unknown_method', message: `unknown method "${method}"` } };
      onCall?.({
        method: isMethodName(method) ? method : 'unknown',
        params: seen.params,
        caller,
        outcome,
        seconds: (performance.now() - started) / 1000,
      });
      return outcome;
    },
  };
}

/**
 * Params must be a JSON object; only a method that takes none may be called without any. A `null` once passed as
 * `{}`, so a method whose params are all optional ran with its widest defaults.
 */
function paramsShapeProblem(schema: z.ZodType, params: unknown): string | null {
  if (params === undefined) return schema === NoParams ? null : 'params are required (a JSON object)';
  if (typeof params === 'object' && params !== null && !Array.isArray(params)) return null;
  const kind = params === null ? 'null' : Array.isArray(params) ? 'an array' : `a ${typeof params}`;
  return `params must be a JSON object, not ${kind}`;
}

/** The same rule for the params `cluster.call` relays, which the member would otherwise receive as `{}`. */
function relayedParamsProblem(method: MethodName, params: unknown): string | null {
  const relayed = method === 'cluster.call' ? relayedMethod(params) : undefined;
  if (!relayed) return null;
  const problem = paramsShapeProblem(methods[relayed].request, (params as { params?: unknown }).params);
  return problem && `the params relayed to ${relayed}: ${problem}`;
}

/**
 * The one scope check for every transport, before params are read: a caller with a scope (a token's, the fleet's,
 * the desktop's) may call only what it allows; `cluster.call` also needs what the method it relays needs.
 */
function scopeRefusal(method: MethodName, params: unknown, caller: CallerContext): RpcOutcome | null {
  if (caller.scope === undefined) return null;
  const relayed = method === 'cluster.call' ? relayedMethod(params) : undefined;
  const own = methodScopes[method];
  const needed: Scope = relayed && !scopeAllows(own, methodScopes[relayed]) ? methodScopes[relayed] : own;
  if (scopeAllows(caller.scope, needed)) return null;
  const who = caller.principal ? `"${caller.principal}" (scope ${caller.scope})` : `scope ${caller.scope}`;
  const what = relayed ? `cluster.call of ${relayed}` : method;
  return { ok: false, error: { code: 'forbidden', message: `${who} may not call ${what}: it needs scope ${needed}` } };
}

function relayedMethod(params: unknown): MethodName | undefined {
  const name = typeof params === 'object' && params !== null ? (params as { method?: unknown }).method : undefined;
  return typeof name === 'string' && isMethodName(name) ? name : undefined;
}
