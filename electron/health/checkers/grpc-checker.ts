import { Client, credentials, status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { z } from 'zod';
import { errorMessage } from '../../core/errors.js';
import { assertPemCertificate, publicRootsAnd, readCaFile } from './ca-file.js';
import { abortedOutcome, elapsedMs, outcome, type CheckContext, type CheckOf, type CheckOutcome } from './checker.js';

const healthCheck = healthCheckMethod();

/** The reply comes from the network: parsed, not trusted. */
const HealthCheckResponse = z.object({ status: z.string() });

const channelOptions = {
  // Reconnect within seconds rather than grpc's default two minutes, so a server that is back is seen by the next run.
  'grpc.initial_reconnect_backoff_ms': 1_000,
  'grpc.max_reconnect_backoff_ms': 5_000,
};
interface CachedClient {
  client: Client;
  /** The caFile's PEM the channel verifies servers against; undefined without caFile. */
  pem: string | undefined;
  /** Calls under way: a channel replaced by a rotated caFile closes once they finish. */
  inFlight: number;
  retired: boolean;
}

/**
 * One channel per address, transport and caFile, kept open between runs (HTTP/2 multiplexes the checks on it)
 * until the agent stops. A rotated caFile replaces its channel rather than adding one.
 */
const clients = new Map<string, CachedClient>();

/** Passing when the server reports SERVING for `service` (empty: the whole server). */
export async function checkGrpc(check: CheckOf<'grpc'>, ctx: CheckContext): Promise<CheckOutcome> {
  const { signal } = ctx;
  if (signal.aborted) return abortedOutcome(check, signal);
  const key = JSON.stringify([check.tls ? 'tls' : 'plaintext', check.address, check.caFile ?? null]);
  let pem: string | undefined;
  if (check.caFile !== undefined) {
    try {
      // Parsed only when it changed.
      pem = await readCaFile(check.caFile, ctx.files, signal);
      if (clients.get(key)?.pem !== pem) assertPemCertificate(pem, check.caFile);
    } catch (error) {
      if (!signal.aborted) return outcome('unknown', errorMessage(error));
    }
    if (signal.aborted) return abortedOutcome(check, signal);
  }
  const cached = clientFor(key, check, pem);
  const { client } = cached;
  const subject = check.service === '' ? 'the server' : `service "${check.service}"`;
  const startedAt = performance.now();
  return new Promise((resolve) => {
    cached.inFlight += 1;
    const call = client.makeUnaryRequest(
      healthCheck.path,
      healthCheck.requestSerialize,
      healthCheck.responseDeserialize,
      { service: check.service },
      // The deadline travels to the server too, so it can give up on our behalf.
      { deadline: Date.now() + check.timeoutMs },
      (error: ServiceError | null, response?: object) => {
        signal.removeEventListener('abort', onAbort);
        release(cached);
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
  for (const { client } of clients.values()) client.close();
  clients.clear();
}

/** grpc.health.v1.Health/Check from the package's bundled proto (loaded with enums as strings). */
function healthCheckMethod() {
  const method = healthService.Check;
  if (!method) throw new Error('grpc-health-check does not define grpc.health.v1.Health/Check');
  return method;
}

/**
 * The channel for a check (`pem`: its caFile's content, already checked to be a certificate). With a caFile the
 * channel is reused only while the file still holds the PEM it was built with: a channel verified against one
 * CA never serves a check that trusts another.
 */
function clientFor(key: string, check: CheckOf<'grpc'>, pem: string | undefined): CachedClient {
  const cached = clients.get(key);
  if (cached && cached.pem === pem) return cached;
  const channelCredentials =
    pem !== undefined
      ? credentials.createSsl(Buffer.from(publicRootsAnd(pem).join('\n')))
      : check.tls
        ? credentials.createSsl()
        : credentials.createInsecure();
  if (cached) {
    cached.retired = true;
    if (cached.inFlight === 0) cached.client.close();
  }
  const fresh: CachedClient = {
    client: new Client(check.address, channelCredentials, channelOptions),
    pem,
    inFlight: 0,
    retired: false,
  };
  clients.set(key, fresh);
  return fresh;
}

function release(cached: CachedClient): void {
  cached.inFlight -= 1;
  if (cached.retired && cached.inFlight === 0) cached.client.close();
}
