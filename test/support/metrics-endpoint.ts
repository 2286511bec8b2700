import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the endpoint answers at the time of a request; `hang` leaves requests unanswered. */
export interface EndpointReply {
  status: number;
  body: string;
  hang: boolean;
}

export interface MetricsEndpoint {
  readonly url: string;
  readonly reply: EndpointReply;
  /** Requests served so far. */
  readonly requests: () => number;
  close(): Promise<void>;
}

/** A service's own Prometheus endpoint on 127.0.0.1, answering whatever `reply` holds (or `bodyAt` computes). */
export async function startMetricsEndpoint(bodyAt?: () => string): Promise<MetricsEndpoint> {
  const reply: EndpointReply = { status: 200, body: '', hang: false };
  let served = 0;
  const server = createServer((_request, response) => {
    if (reply.hang) return;
    served++;
    response.writeHead(reply.status, { 'content-type': 'text/plain; version=0.0.4' });
    response.end(bodyAt ? bodyAt() : reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
    reply,
    requests: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
