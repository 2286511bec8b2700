import type { Scope } from '../../shared/auth.js';
import type { RpcError } from '../../shared/rpc.js';
import type { Logger } from '../core/logger.js';
import { fleetPrincipal, type Authenticator, type Identity } from './authenticator.js';
import type { FailureLimiter } from './failure-limiter.js';
import type { SessionStore } from './sessions.js';

/** The cookie that carries a browser session (EventSource cannot send an Authorization header). */
export const sessionCookieName = 'fleetdeck_session';

/** What a request presents. */
export interface HttpCredentials {
  authorization: string | undefined;
  cookie: string | undefined;
  remote: string;
}

/** Who the caller is (nobody, when the API needs no token and none was sent), or why the request is refused. */
export type HttpAuthOutcome =
  { ok: true; identity: Identity | null } | { ok: false; error: RpcError; retryAfterSeconds?: number };

export interface HttpAuth {
  /** Whether every request to the API needs a token (bound beyond loopback, or `api.auth: required`). */
  readonly required: boolean;
  /** Authenticates a request by its bearer token or, failing a header, its session cookie. */
  check(credentials: HttpCredentials): HttpAuthOutcome;
  /** Trades a token for a session id (the cookie's value). */
  login(secret: string, remote: string): { ok: true; sessionId: string; identity: Identity } | HttpAuthRefusal;
  /** Ends the session the cookie names, if any. */
  logout(cookie: string | undefined): void;
  /** Whether an identity still holds (its token not revoked since): open event streams are re-checked with it. */
  stillValid(identity: Identity): boolean;
}

type HttpAuthRefusal = Extract<HttpAuthOutcome, { ok: false }>;

export interface HttpAuthDeps {
  required: boolean;
  authenticator: Authenticator;
  sessions: SessionStore;
  limiter: FailureLimiter;
  logger: Logger;
}

/**
 * Authentication of HTTP requests: bearer tokens and session cookies checked against the node's tokens, failures
 * counted per address and logged with the address and the reason, never the presented secret.
 */
export function createHttpAuth({ required, authenticator, sessions, limiter, logger }: HttpAuthDeps): HttpAuth {
  /**
   * A presented secret that is wrong counts towards the address's limit; a missing token or an ended session does
   * not (nothing was guessed: a session id is 32 random bytes), so a browser that must log in again is not locked out.
   */
  const refuse = (remote: string, reason: string, guessed = true): HttpAuthRefusal => {
    const blocked = guessed && limiter.fail(remote);
    logger.warn({ remote, reason }, 'authentication failed');
    if (blocked) logger.warn({ remote }, 'too many failed authentications from this address; refusing it for now');
    return { ok: false, error: { code: 'unauthorized', message: reason } };
  };
  const throttled = (remote: string): HttpAuthRefusal | null => {
    const waitMs = limiter.retryAfterMs(remote);
    if (waitMs === 0) return null;
    const seconds = Math.ceil(waitMs / 1000);
    return {
      ok: false,
      error: { code: 'rate_limited', message: `too many failed authentications from ${remote}; retry in ${seconds} s` },
      retryAfterSeconds: seconds,
    };
  };
  const viaToken = (secret: string, remote: string): HttpAuthOutcome => {
    const result = authenticator.authenticate(secret);
    return result.ok ? { ok: true, identity: result.identity } : refuse(remote, result.reason);
  };

  return {
    required,
    check({ authorization, cookie, remote }) {
      const wait = throttled(remote);
      if (wait) return wait;
      if (authorization !== undefined) {
        const secret = bearerSecret(authorization);
        if (secret === null) return refuse(remote, 'malformed Authorization header (expected "Bearer <token>")');
        return viaToken(secret, remote);
      }
      const sessionId = cookieValue(cookie, sessionCookieName);
      if (sessionId !== null) {
        const tokenId = sessions.tokenOf(sessionId);
        const identity = tokenId === null ? null : authenticator.byTokenId(tokenId);
        if (identity) return { ok: true, identity };
        if (tokenId !== null) sessions.close(sessionId);
        // On loopback a stale cookie is no reason to refuse what needs no token.
        if (required) {
          return refuse(remote, 'session ended (logged out, expired or its token revoked); log in again', false);
        }
      }
      if (!required) return { ok: true, identity: null };
      return refuse(remote, 'missing token: send "Authorization: Bearer <token>"', false);
    },
    login(secret, remote) {
      const wait = throttled(remote);
      if (wait) return wait;
      const result = authenticator.authenticate(secret);
      if (!result.ok) return refuse(remote, result.reason);
      const { identity } = result;
      if (identity.tokenId === null) return refuse(remote, 'the fleet credential cannot open a browser session');
      return { ok: true, sessionId: sessions.open(identity.tokenId), identity };
    },
    logout(cookie) {
      const sessionId = cookieValue(cookie, sessionCookieName);
      if (sessionId !== null) sessions.close(sessionId);
    },
    stillValid: (identity) => identity.tokenId === null || authenticator.byTokenId(identity.tokenId) !== null,
  };
}

/**
 * The caller fields an identity gives: a token's name and scope, or nothing (no token needed, none sent). A member
 * holding the fleet credential may name the caller it relays for (`onBehalfOf`); anyone else's claim is ignored.
 */
export function callerOf(
  identity: Identity | null,
  onBehalfOf?: string | string[],
): { principal?: string; scope?: Scope; onBehalfOf?: string } {
  if (!identity) return {};
  const relayedFor =
    identity.principal === fleetPrincipal && typeof onBehalfOf === 'string' && onBehalfOf.length <= 200
      ? { onBehalfOf }
      : {};
  return { principal: identity.principal, scope: identity.scope, ...relayedFor };
}

function bearerSecret(header: string): string | null {
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match ? match[1]! : null;
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=') || null;
  }
  return null;
}
