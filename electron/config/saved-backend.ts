import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BackendConfig } from '../../shared/config.js';
import { errorMessage } from '../core/errors.js';
import { ConfigError } from './config-error.js';

/** Where the backend saved from Settings lives: next to the database, so it belongs to this node's data. */
export const savedBackendFile = (dataDir: string): string => join(dataDir, 'backend.json');

/**
 * The backend saved from Settings, or null when nothing was saved. A file that cannot be read, is not JSON,
 * or does not match the schema stops start-up with the file and the field: the node must not silently fall
 * back to another backend than the one the operator chose.
 */
export function readSavedBackend(file: string): BackendConfig | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(`cannot read the backend saved from Settings, ${file}: ${errorMessage(error)}`);
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
  return parsed.data;
}

/**
 * Saves the backend so that the next start uses it. Atomic: the JSON goes to a temporary file in the same
 * directory, is flushed, and is renamed over the old one, so a crash leaves the old file or the new one, never
 * half of either. Readable by the agent's user only: it may hold the etcd password.
 */
export function writeSavedBackend(file: string, backend: BackendConfig): void {
  const checked = BackendConfig.parse(backend);
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
