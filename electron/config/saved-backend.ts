import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BackendConfig } from '../../shared/config.js';
import { errorMessage } from '../core/errors.js';
import { readBoundedFileSync } from '../core/read-bounded-file.js';
import { headlessSecretBox } from '../secrets/headless-secret-box.js';
import { SecretError, isSealed, type SecretBox } from '../secrets/secret-box.js';
import { ConfigError } from './config-error.js';

/** Where the backend saved from Settings lives: next to the database, so it belongs to this node's data. */
export const savedBackendFile = (dataDir: string): string => join(dataDir, 'backend.json');

/** A saved backend is well under 2 KiB; a file far bigger is not one, and must not be read whole. */
const MAX_SAVED_BACKEND_BYTES = 64 * 1024;

/** Headless: the key in FLEETDECK_SECRET_KEY, else the key file beside backend.json. The desktop app passes its own. */
const defaultSecrets = (file: string): SecretBox => headlessSecretBox({ dataDir: dirname(file), env: process.env });

/**
 * The backend saved from Settings, or null when nothing was saved. A file that cannot be read, is not JSON,
 * or does not match the schema stops start-up with the file and the field: the node must not silently fall
 * back to another backend than the one the operator chose. The etcd password is stored sealed; one saved in
 * plain text by an older version is sealed in place here.
 */
export function readSavedBackend(file: string, secrets: SecretBox = defaultSecrets(file)): BackendConfig | null {
  let text: string;
  try {
    if (!statSync(file, { throwIfNoEntry: false })) return null;
    text = readBoundedFileSync(file, { label: 'file', maxBytes: MAX_SAVED_BACKEND_BYTES }).toString('utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the backend saved from Settings: ${errorMessage(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `the backend saved from Settings, ${file}, is not valid JSON (${errorMessage(error)}); fix or delete the file`,
    );
  }
  const parsed = BackendConfig.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ConfigError(
      `invalid backend saved from Settings in ${file}: ${problems.join('; ')}; fix or delete the file`,
    );
  }
  const backend = parsed.data;
  if (backend.kind !== 'etcd' || !backend.auth) return backend;
  const stored = backend.auth.password;
  if (!isSealed(stored)) {
    try {
      writeSavedBackend(file, backend, secrets);
    } catch (error) {
      throw new ConfigError(
        `the backend saved from Settings in ${file} holds the etcd password in plain text and could not be ` +
          `rewritten with it sealed: ${errorMessage(error)}`,
      );
    }
    return backend;
  }
  try {
    return { ...backend, auth: { ...backend.auth, password: secrets.open(stored) } };
  } catch (error) {
    if (!(error instanceof SecretError)) throw error;
    throw new ConfigError(
      `cannot open the etcd password saved in ${file}: ${error.message}; ` +
        'else delete that file and choose the backend and its password again in Settings',
    );
  }
}

/**
 * Saves the backend so that the next start uses it, the etcd password sealed by `secrets`. Atomic: the JSON goes
 * to a temporary file in the same directory, is flushed, and is renamed over the old one, so a crash leaves the
 * old file or the new one, never half of either. Readable by the agent's user only.
 */
export function writeSavedBackend(
  file: string,
  backend: BackendConfig,
  secrets: SecretBox = defaultSecrets(file),
): void {
  const parsed = BackendConfig.parse(backend);
  const checked =
    parsed.kind === 'etcd' && parsed.auth
      ? { ...parsed, auth: { ...parsed.auth, password: secrets.seal(parsed.auth.password) } }
      : parsed;
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.backend-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(checked, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDirectory(dir);
}

/** Makes the rename itself durable; not every platform can open a directory, and nothing depends on it there. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot fsync a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
