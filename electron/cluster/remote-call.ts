import { httpCall } from '../../shared/client.js';
import type { Member } from '../../shared/node.js';
import type { CallerContext, RpcOutcome } from '../../shared/rpc.js';
import { CodedError } from '../core/coded-error.js';

/**
 * Calls a method on another member through the API address in its member record; a failure on the remote
 * side comes back with the member named, so the console can tell whose error it is.
 */
export async function callMember(
  members: Member[],
  memberId: string,
  method: string,
  params: unknown,
  caller: CallerContext,
  self: { id: string; call(method: string, params: unknown, caller: CallerContext): Promise<RpcOutcome> },
): Promise<unknown> {
  const member = members.find((m) => m.id === memberId);
  if (!member) throw new CodedError('not_found', `no member "${memberId}" in the fleet`);
  const outcome =
    member.id === self.id ? await self.call(method, params, caller) : await httpCall(member.apiUrl, method, params);
  if (outcome.ok) return outcome.result;
  const code = outcome.error.code === 'internal' ? 'unavailable' : outcome.error.code;
  throw new CodedError(code, `${memberId}: ${outcome.error.message}`, outcome.error.issues);
}
