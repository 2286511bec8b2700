import { timingSafeEqual } from 'node:crypto';
import { type Scope, tokenSecretPrefix } from '../../shared/auth.js';
import type { Clock } from '../core/clock.js';
import { secretHash, type StoredToken, type TokenRepository } from './token-repository.js';

/** Who a valid credential stands for. `tokenId` is null for the fleet credential. */
export interface Identity {
  readonly principal: string;
  readonly scope: Scope;
  readonly tokenId: string | null;
}

export type Authentication = { ok: true; identity: Identity } | { ok: false; reason: string };

export interface Authenticator {
  /** Checks a presented secret: an API token, or the fleet credential. */
  authenticate(secret: string): Authentication;
  /** The identity behind a token while it is not revoked (sessions and open streams are re-checked with it). */
  byTokenId(tokenId: string): Identity | null;
}

/** `fd_` and 43 base64url characters (32 bytes). */
const tokenShape = new RegExp(`^${tokenSecretPrefix}[A-Za-z0-9_-]{43}$`);

/** Principal of another member calling with the fleet credential. */
export const fleetPrincipal = 'fleet';

/** Compares hashes of secrets in constant time; the row is found by its non-secret prefix. */
export function createAuthenticator(deps: {
  tokens: TokenRepository;
  fleetCredential: string | null;
  clock: Pick<Clock, 'now'>;
}): Authenticator {
  const fleetHash = deps.fleetCredential === null ? null : secretHash(deps.fleetCredential);
  const identityOf = (token: StoredToken): Identity => ({
    principal: token.name,
    scope: token.scope,
    tokenId: token.id,
  });
  return {
    authenticate(secret) {
      const hash = secretHash(secret);
      if (fleetHash && timingSafeEqual(hash, fleetHash)) {
        return { ok: true, identity: { principal: fleetPrincipal, scope: 'admin', tokenId: null } };
      }
      if (!tokenShape.test(secret)) return { ok: false, reason: 'malformed token (expected fd_ and 43 characters)' };
      const token = deps.tokens.candidates(secret).find((candidate) => timingSafeEqual(candidate.hash, hash));
      if (!token) return { ok: false, reason: 'unknown token' };
      if (token.revokedAt !== null) return { ok: false, reason: `token "${token.name}" was revoked` };
      deps.tokens.touch(token.id, deps.clock.now());
      return { ok: true, identity: identityOf(token) };
    },
    byTokenId(tokenId) {
      const token = deps.tokens.get(tokenId);
      return token && token.revokedAt === null ? identityOf(token) : null;
    },
  };
}
