import { createHash, randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { ApiToken, type Scope, tokenPrefixLength, tokenSecretPrefix } from '../../shared/auth.js';
import { CodedError } from '../core/coded-error.js';

interface TokenRow {
  id: string;
  name: string;
  scope: string;
  prefix: string;
  hash: Buffer;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** A stored token with the hash of its secret, for the authenticator only. */
export interface StoredToken extends ApiToken {
  readonly hash: Buffer;
}

/** SHA-256 of a presented or new secret: what is stored and compared. */
export const secretHash = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

/** The part of a secret kept in clear: `fd_` and its first characters. */
export const secretPrefix = (secret: string): string => secret.slice(0, tokenSecretPrefix.length + tokenPrefixLength);

/** A last-use time is written at most once a minute per token, not on every request. */
const lastUsedResolutionMs = 60_000;

/** The node's API tokens (`api_tokens`): secrets are never stored, only their hash and prefix. */
export class TokenRepository {
  private readonly listStmt;
  private readonly byIdStmt;
  private readonly byPrefixStmt;
  private readonly activeByNameStmt;
  private readonly insertStmt;
  private readonly revokeStmt;
  private readonly touchStmt;
  private readonly countsStmt;

  constructor(db: Database) {
    this.listStmt = db.prepare<[], TokenRow>('SELECT * FROM api_tokens ORDER BY created_at DESC, id');
    this.byIdStmt = db.prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE id = ?');
    this.byPrefixStmt = db.prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE prefix = ?');
    this.activeByNameStmt = db.prepare<[string], TokenRow>(
      'SELECT * FROM api_tokens WHERE name = ? AND revoked_at IS NULL',
    );
    this.insertStmt = db.prepare<[string, string, Scope, string, Buffer, number]>(
      'INSERT INTO api_tokens (id, name, scope, prefix, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.revokeStmt = db.prepare<[number, string]>(
      'UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
    );
    this.touchStmt = db.prepare<[number, string, number]>(
      'UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)',
    );
    this.countsStmt = db.prepare<[], { total: number; active: number }>(
      'SELECT count(*) AS total, count(*) FILTER (WHERE revoked_at IS NULL) AS active FROM api_tokens',
    );
  }

  list(): ApiToken[] {
    return this.listStmt.all().map((row) => publicToken(row));
  }

  get(id: string): StoredToken | undefined {
    const row = this.byIdStmt.get(id);
    return row && stored(row);
  }

  /** The tokens whose secret starts like `secret` (normally one): the authenticator compares their hashes. */
  candidates(secret: string): StoredToken[] {
    return this.byPrefixStmt.all(secretPrefix(secret)).map(stored);
  }

  /** Creates a token; the secret is returned here and nowhere else. */
  create(name: string, scope: Scope, now: number): { token: ApiToken; secret: string } {
    if (this.activeByNameStmt.get(name)) {
      throw new CodedError('conflict', `a token named "${name}" already exists; revoke it first or pick another name`);
    }
    const secret = `${tokenSecretPrefix}${randomBytes(32).toString('base64url')}`;
    const id = `tok_${randomBytes(6).toString('hex')}`;
    this.insertStmt.run(id, name, scope, secretPrefix(secret), secretHash(secret), now);
    return { token: publicToken(this.byIdStmt.get(id)!), secret };
  }

  /** Revokes the token with this id, or the active token with this name. Revoking a revoked token is refused. */
  revoke(ref: string, now: number): ApiToken {
    const row = this.byIdStmt.get(ref) ?? this.activeByNameStmt.get(ref);
    if (!row) throw new CodedError('not_found', `no token "${ref}" (give its id, or the name of an active token)`);
    if (row.revoked_at !== null) throw new CodedError('conflict', `token ${row.id} (${row.name}) is already revoked`);
    this.revokeStmt.run(now, row.id);
    return publicToken(this.byIdStmt.get(row.id)!);
  }

  touch(id: string, now: number): void {
    this.touchStmt.run(now, id, now - lastUsedResolutionMs);
  }

  /** How many tokens were ever created (revoked ones stay) and how many are active. */
  counts(): { total: number; active: number } {
    return this.countsStmt.get()!;
  }
}

const publicToken = (row: TokenRow): ApiToken =>
  ApiToken.parse({
    id: row.id,
    name: row.name,
    scope: row.scope,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  });

const stored = (row: TokenRow): StoredToken => ({ ...publicToken(row), hash: row.hash });
