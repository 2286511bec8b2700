import { AgentEvent } from './events.js';
import {
  RpcErrorBody,
  methods,
  type MethodName,
  type RpcError,
  type RpcOutcome,
  type RpcParams,
  type RpcResult,
} from './rpc.js';

/** How a client reaches an agent: Electron IPC in the desktop app, HTTP + SSE in a browser or another node. */
export interface RpcTransport {
  call(method: MethodName, params: unknown): Promise<RpcOutcome>;
  /** Delivers raw event payloads; the client validates them. Returns an unsubscribe function. */
  subscribe(listener: (event: unknown) => void): () => void;
}

export class RpcCallError extends Error {
  constructor(
    readonly method: string,
    readonly error: RpcError,
  ) {
    super(`${method}: ${error.message}`);
    this.name = 'RpcCallError';
  }
}

/** Typed calls and events over any transport; every result and event is checked against the contract. */
export class FleetdeckClient {
  constructor(private readonly transport: RpcTransport) {}

  async call<M extends MethodName>(method: M, params: RpcParams<M>): Promise<RpcResult<M>> {
    const outcome = await this.transport.call(method, params);
    if (!outcome.ok) throw new RpcCallError(method, outcome.error);
    return methods[method].response.parse(outcome.result) as RpcResult<M>;
  }

  subscribe(listener: (event: AgentEvent) => void, onInvalid?: (problem: string) => void): () => void {
    return this.transport.subscribe((raw) => {
      const parsed = AgentEvent.safeParse(raw);
      if (parsed.success) listener(parsed.data);
      else onInvalid?.(parsed.error.message);
    });
  }
}

/** One RPC over HTTP (`POST /rpc/<method>`), mapped to the same outcome shape IPC returns. */
export async function httpCall(
  baseUrl: string,
  method: string,
  params: unknown,
  fetchImpl: typeof fetch = fetch,
): Promise<RpcOutcome> {
  let response: Response;
  try {
    response = await fetchImpl(`${baseUrl.replace(/\/$/, '')}/rpc/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params ?? {}),
    });
  } catch (error) {
    return { ok: false, error: { code: 'unavailable', message: `cannot reach ${baseUrl}: ${String(error)}` } };
  }
  const body: unknown = await response.json().catch(() => undefined);
  return rpcOutcome(response.status, body, baseUrl);
}

/** An HTTP answer to `POST /rpc/<method>` (its JSON body, undefined if none) as the outcome shape IPC returns. */
export function rpcOutcome(status: number, body: unknown, from: string): RpcOutcome {
  if (status >= 200 && status < 300) return { ok: true, result: body };
  const failure = RpcErrorBody.safeParse(body);
  return failure.success
    ? { ok: false, error: failure.data.error }
    : { ok: false, error: { code: 'internal', message: `HTTP ${status} from ${from}` } };
}
