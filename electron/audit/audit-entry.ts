import type { AuditRecord } from '../../shared/audit.js';
import { isMethodName } from '../../shared/rpc.js';
import { callerName } from '../../shared/rpc/caller.js';
import { isMutating } from '../../shared/rpc/scopes.js';
import type { CallRecord } from '../api/dispatcher.js';

/** What the audit log says of a call, before it is stored; the params are still as the dispatcher had them. */
export type AuditEntry = Omit<AuditRecord, 'id' | 'at' | 'params' | 'paramsTruncated'> & { params: unknown };

const mutating = (method: unknown): method is string =>
  typeof method === 'string' && isMethodName(method) && isMutating(method);

/**
 * The call as the audit log records it, or null when it changes nothing. A `cluster.call` counts when the method
 * it relays does, and names where it went.
 */
export function auditEntryOf({ method, params, caller, outcome, seconds }: CallRecord): AuditEntry | null {
  let target: AuditEntry['target'] = null;
  if (method === 'cluster.call') {
    const relayed = typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {};
    if (!mutating(relayed.method)) return null;
    // A refused relay may name no member: its record says so rather than inventing one.
    target = { memberId: typeof relayed.memberId === 'string' ? relayed.memberId : '(none)', method: relayed.method };
  } else if (!mutating(method)) {
    return null;
  }
  return {
    principal: callerName(caller),
    transport: caller.transport,
    remote: caller.remote,
    method,
    target,
    params,
    outcome: outcome.ok ? 'ok' : 'error',
    error: outcome.ok ? null : { code: outcome.error.code, message: outcome.error.message },
    durationMs: seconds * 1000,
  };
}
