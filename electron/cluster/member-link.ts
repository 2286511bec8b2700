import { onBehalfOfHeader } from '../../shared/rpc/caller.js';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rpcOutcome } from '../../shared/client.js';
import type { AgentConfig } from '../../shared/config.js';
import type { MethodName, RpcOutcome } from '../../shared/rpc.js';
import { readApiTls, readCertificates } from '../api/tls-files.js';
import { readFleetCredentialSetting } from '../auth/fleet-credential.js';
import { errorMessage } from '../core/errors.js';

/** How this node reaches other members' APIs: with the fleet credential, trusting the fleet CA. */
export interface MemberLink {
  /**
   * `POST <origin>/rpc/<method>` for the caller named `onBehalfOf`; never throws: an unreachable, slow or oversized
   * answer is an `unavailable`.
   */
  post(origin: string, method: MethodName, params: unknown, onBehalfOf?: string): Promise<RpcOutcome>;
}

export interface MemberLinkLimits {
  /** The whole exchange, connect to last byte. */
  timeoutMs: number;
  maxResponseBytes: number;
}

const defaultLimits: MemberLinkLimits = { timeoutMs: 10_000, maxResponseBytes: 8 * 1024 * 1024 };

/**
 * Reads the fleet credential (`fleetLink.tokenFile`), the fleet CA (`fleetLink.caFile`) and, when the API serves
 * TLS, its certificate and key, which this node presents as its client certificate to members that require one.
 * A bad file stops start-up naming the setting.
 */
export function openMemberLink(
  config: Pick<AgentConfig, 'api' | 'fleetLink'>,
  limits: MemberLinkLimits = defaultLimits,
): MemberLink {
  const { tokenFile, caFile } = config.fleetLink;
  const credential = tokenFile ? readFleetCredentialSetting(tokenFile) : null;
  const ca = caFile ? readCertificates('fleetLink.caFile', caFile).text : undefined;
  const identity = config.api.tls ? readApiTls(config.api.tls) : null;
  const headers: Record<string, string> = credential ? { authorization: `Bearer ${credential}` } : {};
  const tls = { ca, cert: identity?.cert, key: identity?.key };
  return {
    post: (origin, method, params, onBehalfOf) =>
      // With a fleet CA, a record naming a plain http:// API (forged, or a downgrade) never gets the credential.
      ca && !origin.startsWith('https:')
        ? Promise.resolve(refused(origin, 'members are called over https only here (fleetLink.caFile is set)'))
        : postJson(
            `${origin}/rpc/${method}`,
            origin,
            JSON.stringify(params ?? {}),
            // A header value cannot hold a line break; a name that has one is not sent.
            onBehalfOf && !/[\r\n]/.test(onBehalfOf) ? { ...headers, [onBehalfOfHeader]: onBehalfOf } : headers,
            tls,
            limits,
          ),
  };
}

const refused = (origin: string, why: string): RpcOutcome => ({
  ok: false,
  error: { code: 'unavailable', message: `cannot reach ${origin}: ${why}` },
});

function postJson(
  url: string,
  origin: string,
  body: string,
  headers: Record<string, string>,
  tls: { ca?: string; cert?: string; key?: string },
  limits: MemberLinkLimits,
): Promise<RpcOutcome> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const unavailable = (why: string) => refused(origin, why);
  return new Promise((resolve) => {
    const fail = (error: unknown) =>
      resolve(unavailable(signal.aborted ? `no answer within ${limits.timeoutMs} ms` : errorMessage(error)));
    const onResponse = (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxResponseBytes) {
          request.destroy();
          resolve(unavailable(`the answer is larger than ${limits.maxResponseBytes} bytes`));
        } else chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          json = undefined;
        }
        resolve(rpcOutcome(response.statusCode ?? 0, json, origin));
      });
    };
    const options = {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      signal,
    };
    const request = url.startsWith('https:')
      ? httpsRequest(url, { ...options, ...tls }, onResponse)
      : httpRequest(url, options, onResponse);
    request.on('error', fail);
    request.end(body);
  });
}
