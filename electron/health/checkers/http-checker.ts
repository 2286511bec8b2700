import http, { validateHeaderName, validateHeaderValue, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { TLSSocket, type PeerCertificate } from 'node:tls';
import { RE2JS } from 're2js';
import { errorMessage } from '../../core/errors.js';
import { re2SyntaxReason } from '../../core/re2-syntax-error.js';
import { assertPemCertificate, publicRootsAnd, readCaFile } from './ca-file.js';
import { abortedOutcome, elapsedMs, outcome, type CheckContext, type CheckOf, type CheckOutcome } from './checker.js';

type HttpCheck = CheckOf<'http'>;

/** A body regex sees at most this much of the body; the rest is not read. */
export const MAX_BODY_BYTES = 1024 * 1024;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const USER_AGENT = 'Fleetdeck health check';

/**
 * Keep-alive pools, bounded per origin so thousands of checks against one server share a few dozen sockets (and
 * file descriptors) rather than one each. Idle sockets close after 4 s, before a server's common 5 s keep-alive
 * timeout can race a reuse; Node shortens that further when the server announces `Keep-Alive: timeout=`.
 */
const agentOptions = { keepAlive: true, maxSockets: 64, maxFreeSockets: 64, timeout: 4_000 };
const httpAgent = new http.Agent(agentOptions);
const defaultHttpsAgent = new https.Agent(agentOptions);
/** One pool per caFile: a socket verified against one set of CAs must never serve a check that trusts another. */
const caFileAgents = new Map<string, { pem: string; agent: https.Agent }>();

/** Compiling costs more than matching a short body; the cap only guards against a stream of distinct patterns. */
const compiledRegexes = new Map<string, RE2JS>();
const MAX_COMPILED_REGEXES = 256;

interface HttpResponse {
  status: number;
  /** Null when the check has no bodyRegex (the body is drained unread). */
  body: Uint8Array | null;
  truncated: boolean;
  certificate: PeerCertificate | null;
}

/**
 * Passing when the status is in `expectStatus` and the body matches `bodyRegex`; over https the certificate is
 * verified, and one expiring within `tlsExpiryWarningDays` turns a pass into a warning.
 */
export async function checkHttp(check: HttpCheck, ctx: CheckContext): Promise<CheckOutcome> {
  let bodyRegex: RE2JS | null = null;
  if (check.bodyRegex !== undefined) {
    try {
      bodyRegex = compileBodyRegex(check.bodyRegex);
    } catch (error) {
      const reason = re2SyntaxReason(check.bodyRegex, error);
      return outcome('unknown', `invalid bodyRegex ${JSON.stringify(check.bodyRegex)}: ${reason}`);
    }
  }
  try {
    validateHeaders(check.headers);
  } catch (error) {
    return outcome('unknown', `invalid header: ${errorMessage(error)}`);
  }
  const url = new URL(check.url);
  let agent: http.Agent;
  try {
    agent = await agentFor(url, check.caFile, ctx);
  } catch (error) {
    return ctx.signal.aborted ? abortedOutcome(check, ctx.signal) : outcome('unknown', errorMessage(error));
  }

  const startedAt = performance.now();
  let response: HttpResponse;
  try {
    response = await send(check, url, agent, ctx.signal, bodyRegex !== null);
  } catch (error) {
    return ctx.signal.aborted ? abortedOutcome(check, ctx.signal) : outcome('critical', describeRequestError(error));
  }
  const summary = `HTTP ${response.status} in ${elapsedMs(startedAt)} ms`;

  if (!isExpectedStatus(response.status, check.expectStatus)) {
    return outcome('critical', `HTTP ${response.status} (expected ${check.expectStatus.join(', ')})`);
  }
  if (bodyRegex && response.body && !bodyRegex.test(response.body)) {
    const scope = response.truncated ? 'the first 1 MiB of the body does' : 'the body does';
    return outcome('critical', `${summary}, but ${scope} not match ${JSON.stringify(check.bodyRegex)}`);
  }
  const expiry = response.certificate && certificateExpiry(response.certificate, ctx.now(), check.tlsExpiryWarningDays);
  return expiry ? outcome(expiry.status, `${summary}; ${expiry.text}`) : outcome('passing', summary);
}

/** Releases pooled keep-alive sockets (on agent stop); the pools stay usable. */
export function closeHttpConnections(): void {
  httpAgent.destroy();
  defaultHttpsAgent.destroy();
  for (const { agent } of caFileAgents.values()) agent.destroy();
  caFileAgents.clear();
}

function compileBodyRegex(source: string): RE2JS {
  let regex = compiledRegexes.get(source);
  if (!regex) {
    regex = RE2JS.compile(source);
    if (compiledRegexes.size >= MAX_COMPILED_REGEXES) compiledRegexes.clear();
    compiledRegexes.set(source, regex);
  }
  return regex;
}

/** A malformed header is the config's fault: caught here it is unknown, not a critical "request failed". */
function validateHeaders(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    validateHeaderName(name);
    validateHeaderValue(name, value);
  }
}

async function agentFor(url: URL, caFile: string | undefined, ctx: CheckContext): Promise<http.Agent> {
  if (url.protocol === 'http:') return httpAgent;
  if (caFile === undefined) return defaultHttpsAgent;
  // A changed file gets a fresh pool (the old one's idle sockets close on their idle timeout, in-flight requests
  // finish).
  const pem = await readCaFile(caFile, ctx.files, ctx.signal);
  const pooled = caFileAgents.get(caFile);
  if (pooled?.pem === pem) return pooled.agent;
  assertPemCertificate(pem, caFile);
  const agent = new https.Agent({ ...agentOptions, ca: publicRootsAnd(pem) });
  caFileAgents.set(caFile, { pem, agent });
  return agent;
}

function send(
  check: HttpCheck,
  url: URL,
  agent: http.Agent,
  signal: AbortSignal,
  readBody: boolean,
  retryOnReset = true,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const headers = { 'user-agent': USER_AGENT, ...check.headers };
    let responded = false;
    const request = client.request(url, { method: check.method, headers, agent, signal }, (response) => {
      responded = true;
      // Read now: the socket goes back to the pool once the body ends.
      const certificate = response.socket instanceof TLSSocket ? response.socket.getPeerCertificate() : null;
      readResponseBody(response, readBody).then(
        ({ body, truncated }) => resolve({ status: response.statusCode ?? 0, body, truncated, certificate }),
        reject,
      );
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      // A pooled socket the server closed while idle fails before any response: retry once on a fresh one.
      const staleSocket = request.reusedSocket && !responded && error.code === 'ECONNRESET' && !signal.aborted;
      if (staleSocket && retryOnReset) send(check, url, agent, signal, readBody, false).then(resolve, reject);
      else reject(error);
    });
    request.end(check.body);
  });
}

function readResponseBody(
  response: IncomingMessage,
  keep: boolean,
): Promise<{ body: Uint8Array | null; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      if (!keep) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Stop reading: this socket is not reused, which beats downloading an endless body.
        response.destroy();
        resolve({ body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES), truncated: true });
      }
    });
    response.on('end', () => resolve({ body: keep ? Buffer.concat(chunks) : null, truncated: false }));
    response.on('error', reject);
    response.on('close', () => {
      if (!response.complete) reject(new Error('the connection closed before the response ended'));
    });
  });
}

const isExpectedStatus = (status: number, expected: ReadonlyArray<number | string>): boolean =>
  expected.some((want) => (typeof want === 'number' ? want === status : want[0] === String(status)[0]));

// Certificate verification failures carry OpenSSL's names (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, ...).
const TLS_ERROR_CODE = /^ERR_TLS_|^ERR_SSL_|CERT|SELF_SIGNED|^UNABLE_TO_|^INVALID_CA$|^HOSTNAME_MISMATCH$/;

function describeRequestError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = errorMessage(error);
  const text = code && !message.includes(code) ? `${message} (${code})` : message;
  return code && TLS_ERROR_CODE.test(code) ? `TLS error: ${text}` : `request failed: ${text}`;
}

function certificateExpiry(
  certificate: PeerCertificate,
  now: number,
  warningDays: number,
): { status: 'warning' | 'critical'; text: string } | null {
  const validTo = Date.parse(certificate.valid_to);
  if (Number.isNaN(validTo)) return null;
  const left = validTo - now;
  const at = new Date(validTo).toISOString();
  // Only reachable when the injected clock runs ahead of the one OpenSSL verified against.
  if (left <= 0) return { status: 'critical', text: `TLS certificate expired at ${at}` };
  if (left >= warningDays * DAY_MS) return null;
  const inWords = left >= DAY_MS ? plural(Math.round(left / DAY_MS), 'day') : plural(Math.ceil(left / HOUR_MS), 'hour');
  return { status: 'warning', text: `TLS certificate expires in ${inWords} (${at})` };
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
