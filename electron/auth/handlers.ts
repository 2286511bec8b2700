import type { authMethods } from '../../shared/rpc/auth.js';
import type { Handlers } from '../api/handler-table.js';
import type { TokenRepository } from './token-repository.js';

export const authHandlers = (tokens: TokenRepository, now: () => number): Handlers<keyof typeof authMethods> => ({
  'auth.tokens.list': () => tokens.list(),
  'auth.tokens.create': ({ name, scope }) => tokens.create(name, scope, now()),
  'auth.tokens.revoke': ({ id }) => tokens.revoke(id, now()),
});
