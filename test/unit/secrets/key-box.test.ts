import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECRET_KEY_ENV, headlessSecretBox, secretKeyFile } from '../../../electron/secrets/headless-secret-box.js';
import { SecretError, formatSealed, parseSealed } from '../../../electron/secrets/secret-box.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'fleetdeck-secrets-'));
const envKey = (byte: number) => Buffer.alloc(32, byte).toString('base64');

/** The SecretError message `fn` throws (the test fails if it throws anything else, or nothing). */
function secretFailure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SecretError);
    return (error as Error).message;
  }
  throw new Error('expected a SecretError');
}

describe('the headless secret box (key file)', () => {
  it('seals into a tagged value that hides the secret and opens back to it', () => {
    const dataDir = freshDir();
    const box = headlessSecretBox({ dataDir, env: {} });
    const sealed = box.seal('pässword 🔑');
    expect(sealed).toMatch(/^enc:v1:key:[A-Za-z0-9+/]+=*$/);
    expect(sealed).not.toContain('pässword');
    expect(box.open(sealed)).toBe('pässword 🔑');
    // A fresh IV every time: the same secret never seals to the same text.
    expect(box.seal('pässword 🔑')).not.toBe(sealed);
    // Another process on the same data dir reads the same key file.
    expect(headlessSecretBox({ dataDir, env: {} }).open(sealed)).toBe('pässword 🔑');
  });

  it('creates the key file on the first seal only, 32 random bytes in base64, mode 0600', () => {
    const dataDir = freshDir();
    const box = headlessSecretBox({ dataDir, env: {} });
    const file = secretKeyFile(dataDir);
    expect(file).toBe(join(dataDir, 'secret.key'));
    expect(existsSync(file)).toBe(false);
    box.seal('x');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
  });

  it('refuses a key file that group or others may read, naming the file and the command to fix it', () => {
    const dataDir = freshDir();
    const sealed = headlessSecretBox({ dataDir, env: {} }).seal('secret');
    const file = secretKeyFile(dataDir);
    chmodSync(file, 0o644);
    const message = secretFailure(() => headlessSecretBox({ dataDir, env: {} }).open(sealed));
    expect(message).toContain(file);
    expect(message).toContain('mode 0644');
    expect(message).toContain(`chmod 600 ${file}`);
    chmodSync(file, 0o640);
    expect(secretFailure(() => headlessSecretBox({ dataDir, env: {} }).seal('y'))).toContain('mode 0640');
    chmodSync(file, 0o600);
    expect(headlessSecretBox({ dataDir, env: {} }).open(sealed)).toBe('secret');
  });

  it('says when the key file is missing, not a regular file, or not a key', () => {
    const sealed = headlessSecretBox({ dataDir: freshDir(), env: {} }).seal('secret');
    const empty = freshDir();
    const missing = secretFailure(() => headlessSecretBox({ dataDir: empty, env: {} }).open(sealed));
    expect(missing).toContain(`the key file ${secretKeyFile(empty)} is missing`);
    expect(existsSync(secretKeyFile(empty))).toBe(false);

    execFileSync('mkfifo', ['-m', '600', secretKeyFile(empty)]);
    expect(secretFailure(() => headlessSecretBox({ dataDir: empty, env: {} }).open(sealed))).toMatch(
      /is not a regular file/,
    );
    rmSync(secretKeyFile(empty));
    writeFileSync(secretKeyFile(empty), 'A'.repeat(4096), { mode: 0o600 });
    expect(secretFailure(() => headlessSecretBox({ dataDir: empty, env: {} }).open(sealed))).toMatch(/is larger than/);

    writeFileSync(secretKeyFile(empty), 'not a key\n');
    expect(secretFailure(() => headlessSecretBox({ dataDir: empty, env: {} }).open(sealed))).toMatch(
      /must hold 32 random bytes in base64/,
    );
  });

  it('refuses a value sealed with another key, saying so rather than returning garbage', () => {
    const sealed = headlessSecretBox({ dataDir: freshDir(), env: {} }).seal('secret');
    const other = freshDir();
    headlessSecretBox({ dataDir: other, env: {} }).seal('creates the other key');
    const message = secretFailure(() => headlessSecretBox({ dataDir: other, env: {} }).open(sealed));
    expect(message).toContain(`another key than the key file ${secretKeyFile(other)}`);
  });

  it('refuses a tampered value: any changed byte fails authentication', () => {
    const box = headlessSecretBox({ dataDir: freshDir(), env: {} });
    const { kind, payload } = parseSealed(box.seal('secret'));
    for (const at of [8, 12, 20, 28, payload.length - 1]) {
      const changed = Buffer.from(payload);
      changed[at]! ^= 0x01;
      expect(secretFailure(() => box.open(formatSealed(kind, changed)))).toMatch(/altered or is corrupt/);
    }
    expect(secretFailure(() => box.open(formatSealed(kind, payload.subarray(0, 20))))).toMatch(/truncated/);
    expect(secretFailure(() => box.open('enc:v1:key:***'))).toMatch(/malformed/);
    expect(secretFailure(() => box.open('enc:v1:rot13:AAAA'))).toMatch(/unknown kind/);
    expect(secretFailure(() => box.open('plain text'))).toMatch(/not sealed/);
  });

  it('refuses a value the desktop keychain sealed, naming it', () => {
    const box = headlessSecretBox({ dataDir: freshDir(), env: {} });
    expect(secretFailure(() => box.open(formatSealed('safe-storage', Buffer.from('opaque'))))).toMatch(
      /sealed with the desktop app's OS keychain \(Electron safeStorage\), not with the key file/,
    );
  });
});

describe('the headless secret box (FLEETDECK_SECRET_KEY)', () => {
  it('uses the key in the variable and writes no key file', () => {
    const dataDir = freshDir();
    const env = { [SECRET_KEY_ENV]: envKey(7) };
    const sealed = headlessSecretBox({ dataDir, env }).seal('secret');
    expect(existsSync(secretKeyFile(dataDir))).toBe(false);
    expect(headlessSecretBox({ dataDir: freshDir(), env }).open(sealed)).toBe('secret');
  });

  it('opens what a key file sealed when the variable holds the same key (moving the key into the environment)', () => {
    const dataDir = freshDir();
    const sealed = headlessSecretBox({ dataDir, env: {} }).seal('secret');
    const env = { [SECRET_KEY_ENV]: readFileSync(secretKeyFile(dataDir), 'utf8').trim() };
    expect(headlessSecretBox({ dataDir: freshDir(), env }).open(sealed)).toBe('secret');
  });

  it('names the variable when its key is wrong or malformed', () => {
    const sealed = headlessSecretBox({ dataDir: freshDir(), env: { [SECRET_KEY_ENV]: envKey(1) } }).seal('secret');
    const wrong = { [SECRET_KEY_ENV]: envKey(2) };
    expect(secretFailure(() => headlessSecretBox({ dataDir: freshDir(), env: wrong }).open(sealed))).toContain(
      `another key than the key in ${SECRET_KEY_ENV}`,
    );
    const short = { [SECRET_KEY_ENV]: Buffer.alloc(16).toString('base64') };
    expect(secretFailure(() => headlessSecretBox({ dataDir: freshDir(), env: short }).seal('x'))).toMatch(
      new RegExp(`the key in ${SECRET_KEY_ENV} must hold 32 random bytes in base64`),
    );
  });
});
