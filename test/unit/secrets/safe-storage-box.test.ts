import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headlessSecretBox, secretKeyFile } from '../../../electron/secrets/headless-secret-box.js';
import { desktopSecretBox, type SafeStorageLike } from '../../../electron/secrets/safe-storage-box.js';
import { SecretError } from '../../../electron/secrets/secret-box.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'fleetdeck-safe-storage-'));

/**
 * A stand-in for Electron's safeStorage (the Electron binary is not available to tests): a reversible transform
 * bound to one "keychain" secret, failing like the real one when asked to decrypt what another keychain sealed.
 */
function standInSafeStorage(options: { available?: boolean; backend?: string; keychain?: string } = {}) {
  const keychain = Buffer.from(options.keychain ?? 'login keychain');
  const xor = (data: Buffer) => Buffer.from(data.map((byte, i) => byte ^ keychain[i % keychain.length]!));
  const calls: string[] = [];
  const storage: SafeStorageLike = {
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString: (plain) => {
      calls.push('encrypt');
      return Buffer.concat([Buffer.from('v10'), xor(Buffer.from(`ok:${plain}`))]);
    },
    decryptString: (encrypted) => {
      calls.push('decrypt');
      const text = xor(encrypted.subarray(3)).toString();
      if (!text.startsWith('ok:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage');
      return text.slice(3);
    },
  };
  return { storage, calls };
}

describe('the desktop secret box', () => {
  it('seals with the OS keychain when it encrypts for real, and opens what it sealed', () => {
    const dataDir = freshDir();
    const { storage, calls } = standInSafeStorage();
    const box = desktopSecretBox(storage, { dataDir, env: {} }, 'linux');
    expect(box.kind).toBe('safe-storage');
    const sealed = box.seal('hunter2');
    expect(sealed).toMatch(/^enc:v1:safe-storage:/);
    expect(sealed).not.toContain('hunter2');
    expect(box.open(sealed)).toBe('hunter2');
    expect(calls).toEqual(['encrypt', 'decrypt']);
    expect(existsSync(secretKeyFile(dataDir))).toBe(false);
  });

  it('falls back to the key file where Linux has no keychain (basic_text) or encryption is unavailable', () => {
    for (const storage of [
      standInSafeStorage({ backend: 'basic_text' }).storage,
      standInSafeStorage({ available: false }).storage,
    ]) {
      const dataDir = freshDir();
      const box = desktopSecretBox(storage, { dataDir, env: {} }, 'linux');
      expect(box.kind).toBe('key');
      expect(box.open(box.seal('hunter2'))).toBe('hunter2');
      expect(existsSync(secretKeyFile(dataDir))).toBe(true);
    }
    // basic_text is a Linux notion: elsewhere the keychain is used.
    const mac = desktopSecretBox(
      standInSafeStorage({ backend: 'basic_text' }).storage,
      { dataDir: freshDir(), env: {} },
      'darwin',
    );
    expect(mac.kind).toBe('safe-storage');
  });

  it('opens values sealed by the key file too (a data dir a headless agent used before)', () => {
    const dataDir = freshDir();
    const sealed = headlessSecretBox({ dataDir, env: {} }).seal('from headless');
    const box = desktopSecretBox(standInSafeStorage().storage, { dataDir, env: {} }, 'linux');
    expect(box.open(sealed)).toBe('from headless');
  });

  it('refuses clearly what another keychain sealed, or a keychain value when the keychain is unavailable', () => {
    const dataDir = freshDir();
    const sealed = desktopSecretBox(standInSafeStorage().storage, { dataDir, env: {} }, 'linux').seal('hunter2');
    const elsewhere = desktopSecretBox(standInSafeStorage({ keychain: 'another user' }).storage, { dataDir, env: {} });
    expect(() => elsewhere.open(sealed)).toThrow(SecretError);
    expect(() => elsewhere.open(sealed)).toThrow(/OS keychain \(Electron safeStorage\) cannot decrypt it/);

    const locked = desktopSecretBox(standInSafeStorage({ available: false }).storage, { dataDir, env: {} }, 'linux');
    expect(() => locked.open(sealed)).toThrow(/sealed with the desktop app's OS keychain/);
  });
});
