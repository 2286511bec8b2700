import { z } from 'zod';

/**
 * What a token may do, each scope including the ones before it: `read` (views, metrics), `operate` (acknowledge,
 * run checks, cancel tasks), `admin` (config, fleet values, backend, tokens).
 */
export const Scope = z.enum(['read', 'operate', 'admin']);
export type Scope = z.infer<typeof Scope>;

const rank: Record<Scope, number> = { read: 0, operate: 1, admin: 2 };

/** Whether a caller holding `held` may call something that needs `needed`. */
export const scopeAllows = (held: Scope, needed: Scope): boolean => rank[held] >= rank[needed];

/** What every API token looks like: `fd_` and 32 random bytes in base64url (43 characters). */
export const tokenSecretPrefix = 'fd_';
/** How many characters of a token (after `fd_`) are kept in clear to tell tokens apart in a list. */
export const tokenPrefixLength = 6;

export const TokenName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_.-]{0,62}$/,
    'must be 1-63 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit',
  );

export const TokenId = z.string().regex(/^tok_[0-9a-f]{12}$/, 'must be a token id (tok_ and 12 hex digits)');

/** An API token as listed: never its secret, only the first characters that tell it apart. */
export const ApiToken = z.object({
  id: TokenId,
  name: TokenName,
  scope: Scope,
  /** `fd_` and the first characters of the secret. */
  prefix: z.string(),
  createdAt: z.number().int().nonnegative(),
  lastUsedAt: z.number().int().nonnegative().nullable(),
  revokedAt: z.number().int().nonnegative().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

export const TokenCreate = z.object({ name: TokenName, scope: Scope }).strict();
export type TokenCreate = z.infer<typeof TokenCreate>;

/** A new token and its secret: the only time the secret is shown. */
export const CreatedToken = z.object({ token: ApiToken, secret: z.string() });
export type CreatedToken = z.infer<typeof CreatedToken>;

/** `POST /auth/session`: the browser UI trades a token for a session cookie (EventSource cannot send headers). */
export const SessionLogin = z.object({ token: z.string().min(1).max(512) }).strict();
export type SessionLogin = z.infer<typeof SessionLogin>;

/** `GET /auth/session`: whether this API needs a token and who the caller is, if anyone. */
export const SessionStatus = z.object({
  required: z.boolean(),
  principal: z.string().nullable(),
  scope: Scope.nullable(),
});
export type SessionStatus = z.infer<typeof SessionStatus>;
