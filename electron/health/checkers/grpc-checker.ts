import { Client, credentials, status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { z } from 'zod';
import { abortedOutcome, elapsedMs, outcome, type CheckContext, type CheckOf, type CheckOutcome } from './checker.js';

const healthCheck = healthCheckMethod();

/** The reply comes from the network: parsed, not trusted. */
const HealthCheckResponse = z.object({ status: z.string() });

const channelOptions = {
  // Reconnect within seconds rather than grpc's default two minutes, so a server that is back is seen by the next run.
  'grpc.initial_reconnect_backoff_ms': 1_000,
  'grpc.max_reconnect_backoff_ms': 5_000,
};
/** One channel per address and transport, kept open between runs (HTTP/2 multiplexes the checks on it). */
const clients = new Map<string, Client>();

/** Passing when the server reports SERVING for `service` (empty: the whole server). */
export function checkGrpc(check: CheckOf<'grpc'>, ctx: CheckContext): Promise<CheckOutcome> {
  const { signal } = ctx;
  if (signal.aborted) return Promise.resolve(abortedOutcome(check, signal));
  const client = clientFor(check.address, check.tls);
  const subject = check.service === '' ? 'the server' : `service "${check.service}"`;
  const startedAt = performance.now();
  return new Promise((resolve) => {
    const call = client.makeUnaryRequest(
      healthCheck.path,
      healthCheck.requestSerialize,
      healthCheck.responseDeserialize,
      { service: check.service },
      // The deadline travels to the server too, so it can give up on our behalf.
      { deadline: Date.now() + check.timeoutMs },
      (error: ServiceError | null, response?: object) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) return resolve(abortedOutcome(check, signal));
        if (error) {
          const code = grpcStatus[error.code] ?? String(error.code);
          return resolve(outcome('critical', `gRPC health of ${subject}: ${code}: ${error.details}`));
        }
        const parsed = HealthCheckResponse.safeParse(response);
        if (!parsed.success) return resolve(outcome('critical', `gRPC health of ${subject}: malformed reply`));
        const { status } = parsed.data;
        resolve(
          status === 'SERVING'
            ? outcome('passing', `gRPC SERVING in ${elapsedMs(startedAt)} ms`)
            : outcome('critical', `gRPC health of ${subject}: ${status}`),
        );
      },
    );
    const onAbort = () => call.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Closes every cached channel (on agent stop); later checks open new ones. */
export function closeGrpcClients(): void {
  for (const client of clients.values()) client.close();
  clients.clear();
}

/** grpc.health.v1.Health/Check from the package's bundled proto (loaded with enums as strings). */
function healthCheckMethod() {
  const method = healthService.Check;
  if (!method) throw new Error('grpc-health-check does not define grpc.health.v1.Health/Check');
  return method;
}

function clientFor(address: string, tls: boolean): Client {
  const key = `${tls ? 'tls' : 'plaintext'}:${address}`;
  let client = clients.get(key);
  if (!client) {
    const channelCredentials = tls ? credentials.createSsl() : credentials.createInsecure();
    client = new Client(address, channelCredentials, channelOptions);
    clients.set(key, client);
  }
  return client;
}
