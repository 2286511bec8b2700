import { headlessSecretBox, type SecretPlace } from './headless-secret-box.js';
import { SecretError, combinedBox, formatSealed, payloadOf, type SecretBox } from './secret-box.js';

/** The parts of Electron's `safeStorage` used here (main.ts passes the real one; tests a stand-in). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text` means no keychain was found and the "encryption" uses a fixed password. */
  getSelectedStorageBackend(): string;
}

const KEYCHAIN = 'the OS keychain (Electron safeStorage)';

function safeStorageBox(safeStorage: SafeStorageLike): SecretBox {
  return {
    kind: 'safe-storage',
    seal: (plain) => formatSealed('safe-storage', safeStorage.encryptString(plain)),
    open(sealed) {
      const payload = payloadOf('safe-storage', sealed, KEYCHAIN);
      try {
        return safeStorage.decryptString(payload);
      } catch {
        throw new SecretError(
          `${KEYCHAIN} cannot decrypt it (sealed by another user or machine, the keychain was reset, or the value ` +
            'was altered)',
        );
      }
    },
  };
}

/**
 * The desktop app: seals with the OS keychain when it offers real encryption, else with the headless key file.
 * Opens values sealed either way, so a data dir moved between the desktop app and a headless agent keeps working
 * as far as it can. Needs Electron's `ready` (before it, Linux reports no encryption).
 */
export function desktopSecretBox(
  safeStorage: SafeStorageLike,
  place: SecretPlace,
  platform: NodeJS.Platform = process.platform,
): SecretBox {
  const keyFile = headlessSecretBox(place);
  if (!safeStorage.isEncryptionAvailable()) return keyFile;
  const keychain = safeStorageBox(safeStorage);
  const weak = platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  return combinedBox(weak ? keyFile : keychain, [keychain, keyFile]);
}
