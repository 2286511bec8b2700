import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { namedByConfig, type FileScope } from '../../../../electron/core/read-bounded-file.js';
import type { CheckContext } from '../../../../electron/health/checkers/checker.js';
import type { CommandDefinition } from '../../../../shared/services.js';

/** A context whose signal aborts after `timeoutMs` (as runCheck's would), with the real clock unless given one. */
export function checkContext(
  timeoutMs: number,
  options: { commands?: Record<string, CommandDefinition>; files?: FileScope; now?: () => number } = {},
): CheckContext {
  return {
    signal: AbortSignal.timeout(timeoutMs),
    commands: options.commands ?? {},
    files: options.files ?? namedByConfig,
    now: options.now ?? Date.now,
  };
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

/** A TCP server on 127.0.0.1 that accepts connections; close() destroys the ones still open instead of waiting. */
export interface TcpServer {
  port: number;
  close(): Promise<void>;
}

/** Starts a TCP server that hands each connection to `onConnection`, or else holds it open and never answers. */
export async function startTcpServer(onConnection: (socket: Socket) => void = () => {}): Promise<TcpServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  const port = await listen(server);
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await close(server);
    },
  };
}
