import type { z } from 'zod';
import type { FleetdeckClient } from '../../shared/client.js';
import { methods, type MethodName, type RpcParams, type RpcResult } from '../../shared/rpc.js';

/**
 * Calls a method on the connected agent (`memberId` null), or on another member through `cluster.call`. A
 * member's answer crosses that call unchecked, so it is parsed with the contract's response schema like any
 * other input.
 */
export async function callOn<M extends MethodName>(
  client: FleetdeckClient,
  memberId: string | null,
  method: M,
  params: RpcParams<M>,
): Promise<RpcResult<M>> {
  if (memberId === null) return client.call(method, params);
  const answer = await client.call('cluster.call', { memberId, method, params });
  const parsed = (methods[method].response as z.ZodType).safeParse(answer);
  if (!parsed.success) throw new Error(`${memberId} answered ${method} with data the contract does not allow`);
  return parsed.data as RpcResult<M>;
}
