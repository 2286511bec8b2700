import type { FleetdeckBridge } from '../../shared/bridge.js';
import { RpcOutcome } from '../../shared/rpc.js';
import type { AgentTransport } from './agent-transport.js';

/**
 * Calls and events over the Electron preload bridge. The bridge lives as long as the window, so the
 * connection is live from the start; whether the agent behind it is ready is reported by `agent.state`.
 */
export function createIpcTransport(bridge: FleetdeckBridge): AgentTransport {
  return {
    kind: 'ipc',
    membersOnConnect: false,
    endpoint: 'Electron main process (preload bridge)',
    async call(method, params) {
      try {
        // The bridge is a trust boundary too: an answer that is not an outcome is reported, not trusted.
        const outcome = RpcOutcome.safeParse(await bridge.call(method, params));
        return outcome.success
          ? outcome.data
          : { ok: false, error: { code: 'internal', message: `malformed IPC answer to ${method}` } };
      } catch (error) {
        return { ok: false, error: { code: 'unavailable', message: `IPC call ${method} failed: ${String(error)}` } };
      }
    },
    subscribe: (listener) => bridge.subscribe(listener),
    watchConnection(listener) {
      listener('live');
      return () => {};
    },
  };
}
