import type { authMethods } from '../../shared/rpc/auth.js';
import type { Capability, CapabilityContext } from '../agent/capability.js';
import { authHandlers } from './handlers.js';
import { TokenRepository } from './token-repository.js';

/**
 * API tokens from Settings (list, create, revoke). Requests are authenticated by the HTTP server with the same
 * table (runAgent builds that side, which outlives a backend switch); scopes are enforced by the dispatcher.
 */
export function createAuthCapability({ store, clock }: CapabilityContext): Capability<keyof typeof authMethods> {
  const tokens = store.repository((db) => new TokenRepository(db));
  return { name: 'auth', handlers: authHandlers(tokens, () => clock.now()) };
}
