import { closeSync, constants, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorMessage } from '../core/errors.js';
import { KEY_BYTES, newKeyText, parseKey, type KeySource } from './key-box.js';
import { SecretError } from './secret-box.js';

/** A key file is 44 characters of base64 and a newline; anything much bigger is not one. */
const MAX_KEY_FILE_BYTES = 1024;

/** Non-blocking, so that a FIFO put where the key file should be cannot hang start-up (it is refused below). */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

const errnoCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/**
 * The key in `file`: read when first needed, created (32 random bytes, base64, mode 0600) on the first seal if it
 * does not exist. A key file that group or others may read or write is refused: the key would not be secret.
 */
export function keyFileSource(file: string, platform: NodeJS.Platform = process.platform): KeySource {
  const name = `the key file ${file}`;
  let key: Buffer | null = null;

  const read = (): Buffer | null => {
    let fd: number;
    try {
      fd = openSync(file, READ_FLAGS);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return null;
      throw new SecretError(`cannot read ${name}: ${errorMessage(error)}`);
    }
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) throw new SecretError(`${name} is not a regular file`);
      if (platform !== 'win32' && (stat.mode & 0o077) !== 0) {
        const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
        throw new SecretError(
          `${name} may be read or written by group or others (mode ${mode}); run \`chmod 600 ${file}\``,
        );
      }
      if (stat.size > MAX_KEY_FILE_BYTES) throw new SecretError(`${name} is too big to be a key (${stat.size} bytes)`);
      const buffer = Buffer.alloc(MAX_KEY_FILE_BYTES);
      const length = readSync(fd, buffer, 0, MAX_KEY_FILE_BYTES, 0);
      return parseKey(buffer.subarray(0, length).toString('utf8'), name);
    } finally {
      closeSync(fd);
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
