import { closeSync, fsyncSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorMessage } from '../core/errors.js';
import { NamedFileError, readBoundedFileSync } from '../core/read-bounded-file.js';
import { KEY_BYTES, newKeyText, parseKey, type KeySource } from './key-box.js';
import { SecretError } from './secret-box.js';

/** A key file is 44 characters of base64 and a newline; anything much bigger is not one. */
const MAX_KEY_FILE_BYTES = 1024;

const errnoCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/**
 * The key in `file`: read when first needed, created (32 random bytes, base64, mode 0600) on the first seal if it
 * does not exist. A key file that group or others may read or write is refused: the key would not be secret.
 */
export function keyFileSource(file: string, platform: NodeJS.Platform = process.platform): KeySource {
  const name = `the key file ${file}`;
  let key: Buffer | null = null;

  const read = (): Buffer | null => {
    let stat;
    try {
      stat = statSync(file, { throwIfNoEntry: false });
    } catch (error) {
      throw new SecretError(`cannot read ${name}: ${errorMessage(error)}`);
    }
    if (!stat) return null;
    if (platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new SecretError(
        `${name} may be read or written by group or others (mode ${mode}); run \`chmod 600 ${file}\``,
      );
    }
    try {
      return parseKey(readBoundedFileSync(file, { label: 'key file', maxBytes: MAX_KEY_FILE_BYTES }).toString(), name);
    } catch (error) {
      if (error instanceof NamedFileError) throw new SecretError(error.message);
      throw error;
    }
  };

  const create = (): Buffer => {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (error) {
      // Another process created it first: use theirs.
      if (errnoCode(error) === 'EEXIST') return read() ?? create();
      throw new SecretError(`cannot create ${name}: ${errorMessage(error)}`);
    }
    const text = newKeyText();
    try {
      writeSync(fd, `${text}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return parseKey(text, name);
  };

  return {
    name,
    forSeal: () => (key ??= read() ?? create()),
    forOpen: () => {
      key ??= read();
      if (!key) {
        throw new SecretError(
          `${name} is missing: put back the key file it was sealed with (${KEY_BYTES} bytes, base64)`,
        );
      }
      return key;
    },
  };
}

/** The key given in an environment variable (base64); nothing is written. */
export function envKeySource(variable: string, text: string): KeySource {
  const name = `the key in ${variable}`;
  let key: Buffer | null = null;
  const get = (): Buffer => (key ??= parseKey(text, name));
  return { name, forSeal: get, forOpen: get };
}
