import { describe, expect, it, onTestFinished } from 'vitest';
import { createAuthenticator } from '../../../electron/auth/authenticator.js';
import { TokenRepository } from '../../../electron/auth/token-repository.js';
import { Store } from '../../../electron/store/store.js';
import { ManualClock } from '../../support/manual-clock.js';
import { tempDir } from '../../support/agent-process.js';

const fleetCredential = 'the-fleet-credential-of-this-fleet';

function setup() {
  const clock = new ManualClock();
  const store = Store.open(tempDir(), { now: clock.now() });
  onTestFinished(() => store.close());
  const tokens = store.repository((db) => new TokenRepository(db));
  const authenticator = createAuthenticator({ tokens, fleetCredential, clock });
  return { clock, tokens, authenticator };
}

describe('authenticator', () => {
  it('accepts a token as its name and scope, and records when it was last used', async () => {
    const { clock, tokens, authenticator } = setup();
    const { token, secret } = tokens.create('grafana', 'read', clock.now());
    expect(secret).toMatch(/^fd_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ name: 'grafana', scope: 'read', prefix: secret.slice(0, 9), lastUsedAt: null });

    expect(authenticator.authenticate(secret)).toEqual({
      ok: true,
      identity: { principal: 'grafana', scope: 'read', tokenId: token.id },
    });
    expect(tokens.get(token.id)?.lastUsedAt).toBe(clock.now());
    await clock.advance(61_000);
    authenticator.authenticate(secret);
    expect(tokens.get(token.id)?.lastUsedAt).toBe(clock.now());
  });

  it('stores no secret: only its hash and a prefix', () => {
    const { clock, tokens } = setup();
    const { token, secret } = tokens.create('ci', 'operate', clock.now());
    const stored = tokens.get(token.id)!;
    expect(JSON.stringify({ ...stored, hash: stored.hash.toString('hex') })).not.toContain(secret.slice(9));
    expect(stored.hash).toHaveLength(32);
  });

  it('refuses an unknown, a malformed and a revoked token, naming the problem without the token', () => {
    const { clock, tokens, authenticator } = setup();
    const { token, secret } = tokens.create('grafana', 'read', clock.now());
    // Same prefix, different secret: found by prefix, refused by the hash.
    const forged = `${secret.slice(0, 9)}${'A'.repeat(37)}`;
    expect(authenticator.authenticate(forged)).toEqual({ ok: false, reason: 'unknown token' });
    expect(authenticator.authenticate('letmein')).toEqual({
      ok: false,
      reason: 'malformed token (expected fd_ and 43 characters)',
    });
    tokens.revoke(token.id, clock.now());
    expect(authenticator.authenticate(secret)).toEqual({ ok: false, reason: 'token "grafana" was revoked' });
    expect(authenticator.byTokenId(token.id)).toBeNull();
  });

  it('accepts the fleet credential as the fleet, with admin scope', () => {
    const { authenticator } = setup();
    expect(authenticator.authenticate(fleetCredential)).toEqual({
      ok: true,
      identity: { principal: 'fleet', scope: 'admin', tokenId: null },
    });
    expect(authenticator.authenticate(`${fleetCredential}x`).ok).toBe(false);
  });

  it('keeps one active token per name; revoking frees the name and can find a token by name', () => {
    const { clock, tokens } = setup();
    tokens.create('grafana', 'read', clock.now());
    expect(() => tokens.create('grafana', 'admin', clock.now())).toThrow('a token named "grafana" already exists');
    expect(tokens.revoke('grafana', clock.now())).toMatchObject({ name: 'grafana', revokedAt: clock.now() });
    expect(() => tokens.revoke('grafana', clock.now())).toThrow('no token "grafana"');
    tokens.create('grafana', 'admin', clock.now());
    expect(tokens.counts()).toEqual({ total: 2, active: 1 });
  });
});
