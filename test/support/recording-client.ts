import { FleetdeckClient, type RpcTransport } from '../../shared/client.js';
import type { RpcOutcome } from '../../shared/rpc.js';

export type Answers = Record<string, (params: Record<string, unknown>) => unknown>;

/**
 * A client over a transport that answers from `answers` (a method without one answers not_found) and records every
 * call, for store tests that check what a store asks the agent.
 */
export function recordingClient(answers: Answers) {
  const calls: { method: string; params: Record<string, unknown> }[] = [];
  const transport: RpcTransport = {
    call(method, params) {
      calls.push({ method, params: params as Record<string, unknown> });
      const answer = answers[method];
      const outcome: RpcOutcome = answer
        ? { ok: true, result: answer(params as Record<string, unknown>) }
        : { ok: false, error: { code: 'not_found', message: `no ${method} here` } };
      return Promise.resolve(outcome);
    },
    subscribe: () => () => {},
  };
  const called = (method: string) => calls.filter((call) => call.method === method);
  return { client: new FleetdeckClient(transport), calls, called };
}
