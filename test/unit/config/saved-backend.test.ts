import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSavedBackend, savedBackendFile, writeSavedBackend } from '../../../electron/config/saved-backend.js';
import type { BackendConfig } from '../../../shared/config.js';
import { configFailure } from '../../support/config-failure.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'fleetdeck-saved-backend-'));
const etcd: BackendConfig = {
  kind: 'etcd',
  endpoints: ['https://10.0.0.1:2379', 'https://10.0.0.2:2379'],
  tls: { caFile: '/etc/fleetdeck/ca.pem' },
  auth: { username: 'fleetdeck', password: 's3cret' },
  dialTimeoutMs: 2000,
};

describe('the backend saved from Settings', () => {
  it('lives in the data dir as backend.json; none saved reads as null', () => {
    const dir = freshDir();
    expect(savedBackendFile(dir)).toBe(join(dir, 'backend.json'));
    expect(readSavedBackend(savedBackendFile(dir))).toBeNull();
  });

  it('reads back what was written, readable by the owner only (it may hold the etcd password)', () => {
    const file = savedBackendFile(join(freshDir(), 'not-yet-created'));
    writeSavedBackend(file, etcd);
    expect(readSavedBackend(file)).toEqual(etcd);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeSavedBackend(file, { kind: 'local' });
    expect(readSavedBackend(file)).toEqual({ kind: 'local' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ kind: 'local' });
  });

  it('writes atomically: a write that cannot complete leaves the old file whole and no temporary file', () => {
    const dir = freshDir();
    const file = savedBackendFile(dir);
    writeSavedBackend(file, etcd);
    const before = readFileSync(file, 'utf8');

    // An invalid backend is refused before anything is written.
    expect(() => writeSavedBackend(file, { kind: 'etcd', endpoints: [] } as unknown as BackendConfig)).toThrow();
    expect(readFileSync(file, 'utf8')).toBe(before);

    // The rename fails (the target is a non-empty directory): the temporary file is removed again.
    const blocked = join(dir, 'blocked');
    mkdirSync(join(blocked, 'backend.json', 'inside'), { recursive: true });
    expect(() => writeSavedBackend(savedBackendFile(blocked), { kind: 'local' })).toThrow();
    expect(readdirSync(blocked)).toEqual(['backend.json']);

    writeSavedBackend(file, { kind: 'local' });
    expect(readdirSync(dir).sort()).toEqual(['backend.json', 'blocked']);
  });

  it('refuses a malformed file, naming the file and the field', () => {
    const dir = freshDir();
    const file = savedBackendFile(dir);
    writeFileSync(file, JSON.stringify({ kind: 'etcd', endpoints: ['ftp://x'] }));
    const badField = configFailure(() => readSavedBackend(file));
    expect(badField).toContain(file);
    expect(badField).toMatch(/endpoints\.0: must be an http:\/\/ or https:\/\/ URL/);
    expect(badField).toMatch(/fix or delete the file/);

    writeFileSync(file, JSON.stringify({ kind: 'etcd', endpoints: ['http://a:2379'], colour: 'red' }));
    expect(configFailure(() => readSavedBackend(file))).toMatch(/Unrecognized key.*colour/);

    writeFileSync(file, '{"kind": "etcd", "endpo');
    expect(configFailure(() => readSavedBackend(file))).toMatch(new RegExp(`${file}, is not valid JSON`));

    writeFileSync(file, JSON.stringify({ kind: 'consul' }));
    expect(configFailure(() => readSavedBackend(file))).toMatch(/kind: /);

    const unreadable = join(dir, 'a-directory');
    mkdirSync(unreadable);
    expect(configFailure(() => readSavedBackend(unreadable))).toMatch(/cannot read the backend saved from Settings/);
  });
});
