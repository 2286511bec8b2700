import type { Secret } from '../../shared/notifications.js';
import { readBoundedFile } from '../core/read-bounded-file.js';
import type { SendContext } from './senders/sender.js';

const MAX_SECRET_FILE_BYTES = 64 * 1024;

/**
 * Reads channel secrets and files on the sending node: `{env}` from its environment, `{file}` (and a CA file) only
 * inside its own `files.readDirs`, as every fleet value that names a file.
 */
export function nodeSecrets(
  readDirs: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Pick<SendContext, 'resolveSecret' | 'readFile'> {
  const readFile = async (path: string, field: string) =>
    (
      await readBoundedFile(path, { from: 'outside', readDirs }, { label: field, maxBytes: MAX_SECRET_FILE_BYTES })
    ).toString('utf8');
  return {
    readFile,
    async resolveSecret(secret: Secret, field: string) {
      if (typeof secret === 'string') return secret;
      if ('env' in secret) {
        const value = env[secret.env];
        if (!value) throw new Error(`${field}: the environment variable ${secret.env} is not set on this node`);
        return value;
      }
      const value = (await readFile(secret.file, field)).trim();
      if (!value) throw new Error(`${field}: the file ${secret.file} is empty`);
      return value;
    },
  };
}
