import { describe, expect, it } from 'vitest';
import { redactBackend, withKeptPassword } from '../../../electron/config/backend-settings.js';
import { CodedError } from '../../../electron/core/coded-error.js';
import { ClusterSettings } from '../../../shared/cluster-settings.js';
import type { BackendConfig } from '../../../shared/config.js';

const current: BackendConfig = {
  kind: 'etcd',
  endpoints: ['http://a:2379', 'http://b:2379'],
  auth: { username: 'fleet', password: 'kept-secret' },
  dialTimeoutMs: 3000,
};

describe('backend settings as the UI sees and sends them', () => {
  it('never shows the etcd password, only that one is saved', () => {
    const redacted = redactBackend(current);
    expect(JSON.stringify(redacted)).not.toContain('kept-secret');
    expect(redacted).toEqual({ ...current, auth: { username: 'fleet', passwordSaved: true } });
    expect(
      ClusterSettings.parse({ backend: redacted, pinnedBy: null, savedFile: '/d/backend.json', saved: true }),
    ).toBeTruthy();
    expect(redactBackend({ kind: 'local' })).toEqual({ kind: 'local' });
  });

  it('keeps the saved password for the same user and no new endpoint', () => {
    const kept = withKeptPassword(
      { kind: 'etcd', endpoints: ['http://b:2379'], auth: { username: 'fleet' }, dialTimeoutMs: 1000 },
      current,
    );
    expect(kept).toEqual({
      kind: 'etcd',
      endpoints: ['http://b:2379'],
      auth: { username: 'fleet', password: 'kept-secret' },
      dialTimeoutMs: 1000,
    });
    const typed = { ...current, auth: { username: 'fleet', password: 'new-secret' } };
    expect(withKeptPassword(typed, current)).toEqual(typed);
    expect(withKeptPassword({ kind: 'local' }, current)).toEqual({ kind: 'local' });
  });

  it('refuses to send the saved password to another user or a new endpoint', () => {
    const refusal = (update: Parameters<typeof withKeptPassword>[0], from: BackendConfig = current) => {
      try {
        withKeptPassword(update, from);
      } catch (error) {
        expect(error).toBeInstanceOf(CodedError);
        return error as CodedError;
      }
      throw new Error('expected a refusal');
    };
    const otherUser = refusal({ ...current, auth: { username: 'root' } });
    expect(otherUser.code).toBe('invalid_request');
    expect(otherUser.issues).toEqual([{ path: 'backend.auth.password', message: expect.stringMatching(/same user/) }]);
    expect(refusal({ ...current, endpoints: ['http://evil:2379'], auth: { username: 'fleet' } }).message).toMatch(
      /same user name and endpoints/,
    );
    expect(refusal({ ...current, auth: { username: 'fleet' } }, { kind: 'local' }).message).toMatch(/none is saved/);
  });
});
