import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { Clock } from '../core/clock.js';
import { inOutage, type OutageSchedule } from './outage-schedule.js';

/** Loopback servers the demo's sample services check, so a new user sees real checks change state. */
export interface SampleServers {
  httpPort: number;
  tcpPort: number;
  grpcPort: number;
  close(): Promise<void>;
}

export interface SampleServerOptions {
  clock: Clock;
  random: () => number;
  /** How long the slow endpoint takes to answer. */
  slowMs?: number;
  /** When the payments endpoint answers 503 (measured from the start); null: never. */
  paymentsOutages: OutageSchedule | null;
}

const listen = (server: HttpServer | TcpServer) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

const closeServer = (server: HttpServer | TcpServer) =>
  new Promise<void>((resolve) => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close(() => resolve());
  });

export async function startSampleServers(options: SampleServerOptions): Promise<SampleServers> {
  const { clock, random, paymentsOutages } = options;
  const startedAt = clock.monotonic();
  const pendingSlow = new Set<() => void>();
  const http = createHttpServer((request, response) => {
    const reply = (status: number, body: string) =>
      response.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    switch (request.url) {
      case '/healthy':
        return reply(200, 'ok\n');
      case '/slow': {
        const cancel = clock.setTimer(
          () => {
            pendingSlow.delete(cancel);
            reply(200, 'ok, eventually\n');
          },
          options.slowMs ?? 700 + random() * 600,
        );
        pendingSlow.add(cancel);
        return;
      }
      case '/payments':
        return paymentsOutages && inOutage(paymentsOutages, clock.monotonic() - startedAt)
          ? reply(503, 'payment provider unreachable\n')
          : reply(200, 'ok\n');
      default:
        return reply(404, 'not found\n');
    }
  });
  const tcp = createTcpServer((socket) => {
    socket.on('error', () => socket.destroy()); // a TCP check hangs up as soon as it has connected
    socket.end('fleetdeck demo\n');
  });
  const grpcServer = new grpc.Server();
  new HealthImplementation({ '': 'SERVING', 'demo.Inventory': 'SERVING' }).addToServer(grpcServer);

  const [httpPort, tcpPort] = await Promise.all([listen(http), listen(tcp)]);
  const grpcPort = await new Promise<number>((resolve, reject) =>
    grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    ),
  );

  return {
    httpPort,
    tcpPort,
    grpcPort,
    async close() {
      for (const cancel of pendingSlow) cancel();
      grpcServer.forceShutdown();
      await Promise.all([closeServer(http), closeServer(tcp)]);
    },
  };
}
