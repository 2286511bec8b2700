import { z } from 'zod';
import { ApiToken, CreatedToken, TokenCreate, TokenId } from '../auth.js';
import { method, NoParams } from './method.js';

/** API tokens of this node: listed without their secrets, created (the secret shown once) and revoked. */
export const authMethods = {
  'auth.tokens.list': method(NoParams, z.array(ApiToken), 'API tokens of this node, newest first, revoked ones too.'),
  'auth.tokens.create': method(
    TokenCreate,
    CreatedToken,
    'Creates an API token; the answer holds its secret, which is never shown again.',
  ),
  'auth.tokens.revoke': method(
    z.object({ id: TokenId }).strict(),
    ApiToken,
    'Revokes a token at once: requests and browser sessions that use it are refused from then on.',
  ),
} as const;
