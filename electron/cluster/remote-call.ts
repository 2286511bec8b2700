import { scopeAllows } from '../../shared/auth.js';
import type { Member } from '../../shared/node.js';
import {
  isMethodName,
  issuesFromZod,
  methods,
  type CallerContext,
  type RpcError,
  type RpcOutcome,
} from '../../shared/rpc.js';
import { callerName } from '../../shared/rpc/caller.js';
import { methodScopes } from '../../shared/rpc/scopes.js';
import { CodedError } from '../core/coded-error.js';
import type { MemberLink } from './member-link.js';

export interface MemberCallDeps {
  members(): Member[];
  /** This node: a call to itself goes to its own dispatcher, not over HTTP. */
  self: { id: string; call(method: string, params: unknown, caller: CallerContext): Promise<RpcOutcome> };
  link: MemberLink;
}

/** Calls a method on a member of the fleet (this node included) on behalf of a caller. */
export type MemberCall = (memberId: string, method: string, params: unknown, caller: CallerContext) => Promise<unknown>;

/**
 * Relays calls to other members through the API origin in their member record. The caller must hold the relayed
 * method's scope (the member itself sees only the fleet credential); the member's answer must match the method's
 * response schema. A failure on the remote side comes back with the member named, so the console can tell whose
 * error it is.
 */
export const memberCall =
  ({ members, self, link }: MemberCallDeps): MemberCall =>
  async (memberId, method, params, caller) => {
    if (!isMethodName(method)) throw new CodedError('not_found', `${memberId}: unknown method "${method}"`);
    const needed = methodScopes[method];
    if (caller.scope && !scopeAllows(caller.scope, needed)) {
      const message = `scope ${caller.scope} may not call ${method} on ${memberId}: it needs scope ${needed}`;
      throw new CodedError('forbidden', message);
    }
    const member = members().find((m) => m.id === memberId);
    if (!member) throw new CodedError('not_found', `no member "${memberId}" in the fleet`);
    if (member.id === self.id) return resultOf(memberId, await self.call(method, params, caller));
    const result = resultOf(memberId, await link.post(member.apiUrl, method, params, callerName(caller)));
    const parsed = methods[method].response.safeParse(result);
    if (!parsed.success) {
      throw new CodedError(
        'unavailable',
        `${memberId} answered ${method} with a result that does not match its schema`,
        issuesFromZod(parsed.error, ['result']),
      );
    }
    return parsed.data;
  };

function resultOf(memberId: string, outcome: RpcOutcome): unknown {
  if (outcome.ok) return outcome.result;
  throw new CodedError(relayedCode(outcome.error), `${memberId}: ${outcome.error.message}`, outcome.error.issues);
}

/**
 * The member's refusal as this node's answer. Refusals of the link itself (the member does not accept this node's
 * credential, or limits it) are not the caller's: the caller is authenticated here, the member is out of reach.
 */
function relayedCode(error: RpcError): CodedError['code'] {
  switch (error.code) {
    case 'internal':
    case 'unauthorized':
    case 'rate_limited':
      return 'unavailable';
    default:
      return error.code;
  }
}
