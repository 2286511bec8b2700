/**
 * IPC is a trust boundary: the only frame allowed to call the agent is the top-level frame of our own
 * UI on app://fleetdeck. A frame that navigated elsewhere, a subframe, or a destroyed frame is refused.
 */
import type { CallerContext, RpcOutcome } from '../../shared/rpc.js';
import { isAppUrl } from './app-origin.js';

/** The parts of Electron's WebFrameMain the check reads. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  return frame != null && frame.parent === null && isAppUrl(frame.url);
}

/** The parts of the running agent the IPC handler needs. */
export interface AgentCaller {
  call(method: string, params: unknown, caller: CallerContext): Promise<RpcOutcome>;
}

export interface CallHandlerDeps {
  /** Resolves once the agent has started; the UI may call before that. */
  agent: () => Promise<AgentCaller>;
  onRejectedSender: (url: string | null) => void;
}

const MAX_METHOD_LENGTH = 128;
/** The app's own window: no token (IPC never leaves the process), audited as `desktop`, allowed everything. */
const ipcCaller: CallerContext = { transport: 'ipc', remote: null, principal: 'desktop', scope: 'admin' };

/**
 * The `ipcMain.handle(ipcChannels.call, …)` handler. Params are passed on untouched because the
 * dispatcher validates them against the shared method table; only the sender and the method's type are checked here.
 */
export function createCallHandler(deps: CallHandlerDeps) {
  return async (
    event: { readonly senderFrame: SenderFrame | null },
    method: unknown,
    params: unknown,
  ): Promise<RpcOutcome> => {
    if (!isTrustedSender(event.senderFrame)) {
      deps.onRejectedSender(event.senderFrame?.url ?? null);
      throw new Error('fleetdeck: IPC from an untrusted frame was refused');
    }
    if (typeof method !== 'string' || method.length === 0 || method.length > MAX_METHOD_LENGTH) {
      return { ok: false, error: { code: 'invalid_request', message: 'method: expected a method name' } };
    }
    const agent = await deps.agent();
    return agent.call(method, params, ipcCaller);
  };
}
