import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSavedBackend, savedBackendFile, writeSavedBackend } from '../../../electron/config/saved-backend.js';
import { headlessSecretBox, secretKeyFile } from '../../../electron/secrets/headless-secret-box.js';
import type { BackendConfig } from '../../../shared/config.js';
import { configFailure } from '../../support/config-failure.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'fleetdeck-saved-backend-'));
/** The headless box of the file's data dir (the key file beside it), whatever this test process's environment holds. */
const boxOf = (file: string) => headlessSecretBox({ dataDir: dirname(file), env: {} });
const read = (file: string) => readSavedBackend(file, boxOf(file));
const write = (file: string, backend: BackendConfig) => writeSavedBackend(file, backend, boxOf(file));
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
    expect(read(savedBackendFile(dir))).toBeNull();
  });

  it('reads back what was written, readable by the owner only (it may hold the etcd password)', () => {
    const file = savedBackendFile(join(freshDir(), 'not-yet-created'));
    write(file, etcd);
    expect(read(file)).toEqual(etcd);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    write(file, { kind: 'local' });
    expect(read(file)).toEqual({ kind: 'local' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ kind: 'local' });
  });

  it('writes atomically: a write that cannot complete leaves the old file whole and no temporary file', () => {
    const dir = freshDir();
    const file = savedBackendFile(dir);
    write(file, etcd);
    const before = readFileSync(file, 'utf8');

    // An invalid backend is refused before anything is written.
    expect(() => write(file, { kind: 'etcd', endpoints: [] } as unknown as BackendConfig)).toThrow();
    expect(readFileSync(file, 'utf8')).toBe(before);

    // The rename fails (the target is a non-empty directory): the temporary file is removed again.
    const blocked = join(dir, 'blocked');
    mkdirSync(join(blocked, 'backend.json', 'inside'), { recursive: true });
    expect(() => write(savedBackendFile(blocked), { kind: 'local' })).toThrow();
    expect(readdirSync(blocked)).toEqual(['backend.json']);

    write(file, { kind: 'local' });
    expect(readdirSync(dir).sort()).toEqual(['backend.json', 'blocked', 'secret.key']);
  });

  it('refuses a malformed file, naming the file and the field', () => {
    const dir = freshDir();
    const file = savedBackendFile(dir);
    writeFileSync(file, JSON.stringify({ kind: 'etcd', endpoints: ['ftp://x'] }));
    const badField = configFailure(() => read(file));
    expect(badField).toContain(file);
    expect(badField).toMatch(/endpoints\.0: must be an http:\/\/ or https:\/\/ URL/);
    expect(badField).toMatch(/fix or delete the file/);

    writeFileSync(file, JSON.stringify({ kind: 'etcd', endpoints: ['http://a:2379'], colour: 'red' }));
    expect(configFailure(() => read(file))).toMatch(/Unrecognized key.*colour/);

    writeFileSync(file, '{"kind": "etcd", "endpo');
    expect(configFailure(() => read(file))).toMatch(new RegExp(`${file}, is not valid JSON`));

    writeFileSync(file, JSON.stringify({ kind: 'consul' }));
    expect(configFailure(() => read(file))).toMatch(/kind: /);

    const unreadable = join(dir, 'a-directory');
    mkdirSync(unreadable);
    expect(configFailure(() => read(unreadable))).toMatch(
      /cannot read the backend saved from Settings: file .*a-directory is not a regular file \(a directory\)/,
    );
    rmSync(file);
    execFileSync('mkfifo', [file]);
    expect(configFailure(() => read(file))).toMatch(/backend\.json is not a regular file \(a FIFO\)/);
    rmSync(file);
    writeFileSync(file, ' '.repeat(1024 * 1024));
    expect(configFailure(() => read(file))).toMatch(/backend\.json is larger than 64 KiB/);
  });

  it('keeps the etcd password sealed on disk: the file does not contain it, reading opens it', () => {
    const file = savedBackendFile(freshDir());
    write(file, etcd);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('s3cret');
    const onDisk = JSON.parse(text) as { auth: { username: string; password: string } };
    expect(onDisk.auth.username).toBe('fleetdeck');
    expect(onDisk.auth.password).toMatch(/^enc:v1:key:/);
    expect(read(file)).toEqual(etcd);
  });

  it('seals in place a password an older version saved in plain text', () => {
    const file = savedBackendFile(freshDir());
    writeFileSync(file, JSON.stringify(etcd), { mode: 0o600 });
    expect(read(file)).toEqual(etcd);
    const migrated = readFileSync(file, 'utf8');
    expect(migrated).not.toContain('s3cret');
    expect(JSON.parse(migrated)).toMatchObject({
      auth: { username: 'fleetdeck', password: expect.stringMatching(/^enc:v1:key:/) },
    });
    expect(read(file)).toEqual(etcd);
    expect(readFileSync(file, 'utf8')).toBe(migrated);
  });

  it('stops with the file, the key and what to do when the password cannot be opened', () => {
    const dir = freshDir();
    const file = savedBackendFile(dir);
    write(file, etcd);

    writeFileSync(secretKeyFile(dir), `${Buffer.alloc(32, 9).toString('base64')}\n`, { mode: 0o600 });
    const wrongKey = configFailure(() => read(file));
    expect(wrongKey).toContain(`cannot open the etcd password saved in ${file}`);
    expect(wrongKey).toContain(`another key than the key file ${secretKeyFile(dir)}`);
    expect(wrongKey).toMatch(/delete that file and choose the backend and its password again in Settings/);

    rmSync(secretKeyFile(dir));
    expect(configFailure(() => read(file))).toContain(`the key file ${secretKeyFile(dir)} is missing`);

    write(file, etcd);
    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as { auth: { password: string } };
    const flipped = onDisk.auth.password.endsWith('A') ? 'B' : 'A';
    onDisk.auth.password = `${onDisk.auth.password.slice(0, -3)}${flipped}${onDisk.auth.password.slice(-2)}`;
    writeFileSync(file, JSON.stringify(onDisk));
    expect(configFailure(() => read(file))).toMatch(/altered or is corrupt/);
  });
});
