import { once } from 'node:events';
import type { Server } from 'node:net';
import type { CheckContext } from '../../../../electron/health/checkers/checker.js';
import type { CommandDefinition } from '../../../../shared/services.js';

/** A context whose signal aborts after `timeoutMs` (as runCheck's would), with the real clock unless given one. */
export function checkContext(
  timeoutMs: number,
  options: { commands?: Record<string, CommandDefinition>; now?: () => number } = {},
): CheckContext {
  return { signal: AbortSignal.timeout(timeoutMs), commands: options.commands ?? {}, now: options.now ?? Date.now };
}

/** Listens on 127.0.0.1 with a free port and returns the port. */
export async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  return address.port;
}

/** Closes a server, dropping its keep-alive connections (http servers) so close() does not wait for them. */
export async function close(server: Server & { closeAllConnections?: () => void }): Promise<void> {
  const closed = once(server, 'close');
  server.close();
  server.closeAllConnections?.();
  await closed;
}
