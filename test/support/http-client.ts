import { FleetdeckClient, httpCall, RpcCallError } from '../../shared/client.js';

/**
 * A typed client for the HTTP API at `url` (an agent's base URL). It calls methods only: its subscribe delivers
 * nothing, since tests that watch events read the SSE stream itself (sse.ts).
 */
export function clientFor(url: string): FleetdeckClient {
  return new FleetdeckClient({ call: (method, params) => httpCall(url, method, params), subscribe: () => () => {} });
}

/** The RPC error a call failed with; throws if the call succeeded or failed some other way. */
export async function refusal(call: Promise<unknown>): Promise<RpcCallError['error']> {
  try {
    await call;
  } catch (error) {
    if (error instanceof RpcCallError) return error.error;
    throw error;
  }
  throw new Error('expected the call to be refused');
}
