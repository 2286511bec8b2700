import { join } from 'node:path';
import { envKeySource, keyFileSource } from './key-file.js';
import { keyBox } from './key-box.js';
import type { SecretBox, SecretsFor } from './secret-box.js';

export const SECRET_KEY_ENV = 'FLEETDECK_SECRET_KEY';

/** Where a headless node keeps its key when FLEETDECK_SECRET_KEY is not set: beside the secrets it seals. */
export const secretKeyFile = (dataDir: string): string => join(dataDir, 'secret.key');

export interface SecretPlace {
  dataDir: string;
  env: Record<string, string | undefined>;
}

/** Headless: the key in FLEETDECK_SECRET_KEY when set, else `<dataDir>/secret.key` (created on the first seal). */
export function headlessSecretBox({ dataDir, env }: SecretPlace): SecretBox {
  const text = env[SECRET_KEY_ENV];
  return keyBox(
    text !== undefined && text !== '' ? envKeySource(SECRET_KEY_ENV, text) : keyFileSource(secretKeyFile(dataDir)),
  );
}

/** headlessSecretBox for any data dir, with the key variable read from `env`. */
export const headlessSecrets =
  (env: Record<string, string | undefined>): SecretsFor =>
  (dataDir) =>
    headlessSecretBox({ dataDir, env });
