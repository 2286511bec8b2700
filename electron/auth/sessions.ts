import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';

export interface SessionLimits {
  /** A session ends this long after login, whatever its use. */
  lifetimeMs: number;
  /** Sessions kept at most; the oldest ends first. */
  maxSessions: number;
}

const defaultLimits: SessionLimits = { lifetimeMs: 12 * 3_600_000, maxSessions: 1000 };

interface Session {
  tokenId: string;
  expiresAt: number;
}

/**
 * Browser sessions: a random id (the cookie) bound to the token it was opened with. Kept in memory only, so a
 * restart logs browsers out; kept by the id's hash, so a map lookup's timing says nothing about valid ids.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly clock: Pick<Clock, 'monotonic'>,
    private readonly limits: SessionLimits = defaultLimits,
  ) {}

  open(tokenId: string): string {
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(key(id), { tokenId, expiresAt: this.clock.monotonic() + this.limits.lifetimeMs });
    if (this.sessions.size > this.limits.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
    return id;
  }

  /** The token a live session was opened with; null for an unknown or expired one. */
  tokenOf(id: string): string | null {
    const session = this.sessions.get(key(id));
    if (!session) return null;
    if (session.expiresAt <= this.clock.monotonic()) {
      this.sessions.delete(key(id));
      return null;
    }
    return session.tokenId;
  }

  close(id: string): void {
    this.sessions.delete(key(id));
  }
}

const key = (id: string): string => createHash('sha256').update(id).digest('base64url');
