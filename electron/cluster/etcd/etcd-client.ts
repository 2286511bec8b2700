import {
  ClientClosedError,
  Etcd3,
  EtcdAuthenticationFailedError,
  EtcdInvalidAuthTokenError,
  EtcdPermissionDeniedError,
  type IOptions,
} from 'etcd3';
import { errorMessage } from '../../core/errors.js';
import { MAX_PEM_FILE_BYTES, readBoundedFileSync } from '../../core/read-bounded-file.js';

/** How to reach an etcd cluster: what the `etcd` backend config holds. */
export interface EtcdConnectionOptions {
  /** Client URLs, `http://` or `https://` (all the same scheme). */
  endpoints: string[];
  /** PEM files: the CA that signed the servers' certificates, and a client certificate when etcd asks for one. */
  tls?: { caFile: string; certFile?: string; keyFile?: string };
  auth?: { username: string; password: string };
  /** Deadline of every single request (and of the first contact); default 3000. */
  dialTimeoutMs?: number;
}

export const DEFAULT_DIAL_TIMEOUT_MS = 3000;

type FaultHandling = NonNullable<IOptions['faultHandling']>;
type HostPolicy = ReturnType<NonNullable<FaultHandling['host']>>;
type WatchBackoff = NonNullable<FaultHandling['watchBackoff']>;

/**
 * A host policy that lets every call through. etcd3's default is a circuit breaker that, after three failures,
 * refuses a host for 5 s: after an outage the whole cluster would stay refused for seconds after it is back.
 * Calls fail fast on a dead host anyway (connection refused, or the request deadline), and etcd3's global
 * retry moves the next attempt to another host.
 */
const passThroughPolicy = (): HostPolicy => {
  const noEvent = () => ({ dispose() {} });
  const policy = {
    onSuccess: noEvent,
    onFailure: noEvent,
    execute: async <T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T, signal?: AbortSignal) =>
      fn({ signal: signal ?? new AbortController().signal }),
  };
  // `_altReturn` is a type-only marker of cockatiel's IPolicy; it never exists at run time.
  return policy as unknown as HostPolicy;
};

/** Watch stream reconnects: 100 ms doubling up to 2 s (etcd3's default grows to 30 s). */
const watchBackoff = (duration = 100): WatchBackoff => ({
  duration,
  next: () => watchBackoff(Math.min(duration * 2, 2000)),
});

/** Builds an etcd3 client. Reading the PEM files happens here, so a missing file fails with its path. */
export function createEtcdClient(options: EtcdConnectionOptions): Etcd3 {
  const deadlineMs = options.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS;
  const read = (what: string, path: string) =>
    readBoundedFileSync(path, { label: `the etcd TLS ${what}`, maxBytes: MAX_PEM_FILE_BYTES });
  const { tls, auth } = options;
  return new Etcd3({
    hosts: options.endpoints,
    credentials: tls
      ? {
          rootCertificate: read('CA file', tls.caFile),
          ...(tls.keyFile ? { privateKey: read('key file', tls.keyFile) } : {}),
          ...(tls.certFile ? { certChain: read('certificate file', tls.certFile) } : {}),
        }
      : undefined,
    auth: auth
      ? {
          username: auth.username,
          password: auth.password,
          callOptions: () => ({ deadline: Date.now() + deadlineMs }),
        }
      : undefined,
    // Streams (watch, keepalive) live on; every other request gets a deadline, so a dead host fails it quickly.
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + deadlineMs }),
    faultHandling: { host: passThroughPolicy, watchBackoff: watchBackoff() },
    grpcOptions: {
      // Reconnect quickly after etcd comes back (grpc's default backoff grows to two minutes).
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 1000,
      // Notice a silently dead connection (no RST, e.g. a paused VM) under open streams. etcd refuses pings
      // more often than every 5 s, or without a stream (--grpc-keepalive-min-time), with GOAWAY.
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5000,
      'grpc.keepalive_permit_without_calls': 0,
      // The member list is read in one range: 10,000 records are ≈ 6 MB, over grpc's 4 MB default for an answer.
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
    },
  });
}

/** etcd does not serve us because its members lost their majority (see QuorumCheck); the message says which. */
export class NoQuorumError extends Error {}

/** One line that says what went wrong talking to etcd, in words an operator can act on. */
export function describeEtcdError(error: unknown, endpoints: string[]): string {
  if (error instanceof NoQuorumError) return error.message;
  const message = errorMessage(error);
  const where = endpoints.join(', ');
  if (error instanceof EtcdAuthenticationFailedError) {
    return 'etcd authentication failed: wrong user name or password';
  }
  if (error instanceof EtcdInvalidAuthTokenError) return 'etcd rejected the authentication token; signing in again';
  if (/authentication is not enabled/i.test(message)) {
    return 'etcd authentication is not enabled on the server, but a user name and password are configured';
  }
  if (/user name is empty|user name not found/i.test(message)) return 'etcd authentication failed: unknown user';
  if (error instanceof EtcdPermissionDeniedError) {
    return `etcd permission denied: the configured user may not read or write the fleetdeck/ keys (${message})`;
  }
  if (error instanceof ClientClosedError) return 'the etcd client is closed';
  if (/certificate|ssl|tls|handshake|self[- ]signed|wrong version number|alert/i.test(message)) {
    return `TLS error talking to etcd at ${where}: ${tlsDetail(message)}`;
  }
  if (
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|No connection established|UNAVAILABLE|DEADLINE|Deadline/.test(
      message,
    )
  ) {
    return `etcd unreachable at ${where}: ${shorten(message)}`;
  }
  return `etcd request failed: ${shorten(message)}`;
}

function tlsDetail(message: string): string {
  if (/unable to verify|self[- ]signed|unknown ca|certificate signature failure|issuer certificate/i.test(message)) {
    return `the server's certificate is not signed by the configured CA (${shorten(message)})`;
  }
  if (/certificate required|bad certificate|alert/i.test(message)) {
    return `the server refused the client certificate (${shorten(message)})`;
  }
  return shorten(message);
}

/**
 * The part of a grpc message that says what happened: "14 UNAVAILABLE: No connection established. Last error:
 * Error: connect ECONNREFUSED 127.0.0.1:2379. Resolution note: " is "connect ECONNREFUSED 127.0.0.1:2379", and
 * OpenSSL's "80AC...:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../deps/..." is
 * "sslv3 alert bad certificate".
 */
function shorten(message: string): string {
  let detail = message.replace(/^\w*Error:\s*/, '').replace(/\s+/g, ' ');
  const last = /Last error: (.*?)(?:\.? Resolution note:.*)?$/.exec(detail)?.[1];
  // grpc-js says "Last error: null" when no attempt has failed yet: then the part before it is the news.
  if (last && last !== 'null') detail = last.replace(/^\w*Error:\s*/, '');
  else if (last === 'null') detail = detail.replace(/\.? Last error: null.*$/, '');
  const ssl = /SSL routines:[^:]*:([^:]+):/.exec(detail)?.[1];
  if (ssl) detail = ssl;
  detail = detail.replace(/\.$/, '');
  return detail.length > 300 ? `${detail.slice(0, 297)}...` : detail;
}
