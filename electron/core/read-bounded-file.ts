import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { errorMessage } from './errors.js';

/**
 * Who named a file: this node's own config file (any path it names is read), or a value that came from the API or
 * the fleet (read only inside the node's `files.readDirs`).
 */
export type FileScope =
  { readonly from: 'config' } | { readonly from: 'outside'; readonly readDirs: readonly string[] };

export const namedByConfig: FileScope = { from: 'config' };

export interface BoundedRead {
  /** What the file is to the user, e.g. `caFile` or `config file`: every error names it and the path. */
  label: string;
  maxBytes: number;
}

/** A file that is refused or cannot be read; the message names the file and why. */
export class NamedFileError extends Error {
  override name = 'NamedFileError';
}

const CHUNK_BYTES = 64 * 1024;
const MIN_CHUNK_BYTES = 4096;

/** A PEM file (a CA bundle, a certificate, a key) is a few kilobytes; this leaves room for large bundles. */
export const MAX_PEM_FILE_BYTES = 1024 * 1024;

/**
 * Reads a file a value names: only a regular file (a FIFO, a device such as /dev/zero or a directory is refused
 * after opening, by what was opened), at most `maxBytes`, and for a value from outside only inside `readDirs`.
 * Stops between chunks once `signal` aborts, so a timed-out check leaves no read behind.
 */
export async function readBoundedFile(
  path: string,
  scope: FileScope,
  read: BoundedRead,
  signal?: AbortSignal,
): Promise<Buffer> {
  const target = scope.from === 'config' ? path : await allowedRealPath(path, scope.readDirs, read.label);
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the fstat below refuses it anyway.
    const handle = await open(target, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const chunks = new Chunks(read.maxBytes, checkedSize(await handle.stat(), path, read));
      while (chunks.wantsMore()) {
        signal?.throwIfAborted();
        chunks.add((await handle.read(chunks.buffer, 0, chunks.buffer.length, null)).bytesRead);
      }
      return chunks.result(path, read);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (signal?.aborted) throw error;
    throw named(error, read.label, path);
  }
}

/** The same checks, synchronously, for a file this node's own start-up names (its config file). */
export function readBoundedFileSync(path: string, read: BoundedRead): Buffer {
  try {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const chunks = new Chunks(read.maxBytes, checkedSize(fstatSync(fd), path, read));
      while (chunks.wantsMore()) chunks.add(readSync(fd, chunks.buffer, 0, chunks.buffer.length, null));
      return chunks.result(path, read);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw named(error, read.label, path);
  }
}

/**
 * Save-time check of a path a value from outside names: refused unless it lies inside `readDirs` (a file that does
 * not exist yet passes if its path does; one that exists must resolve inside too).
 */
export function assertAllowedPath(path: string, readDirs: readonly string[], label: string): void {
  if (!lexicallyAllowed(path, readDirs)) throw outside(label, path);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return;
  }
  if (!insideAny(real, readDirs.flatMap(realDirSync))) throw outside(label, path);
}

/**
 * The real path of a file inside `readDirs`. A path that is not even written inside them is refused before the
 * file system is asked, so the answer says nothing about whether it exists.
 */
async function allowedRealPath(path: string, readDirs: readonly string[], label: string): Promise<string> {
  if (!lexicallyAllowed(path, readDirs)) throw outside(label, path);
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    throw cannotRead(label, path, error);
  }
  if (!insideAny(real, readDirs.flatMap(realDirSync))) throw outside(label, path);
  return real;
}

const lexicallyAllowed = (path: string, readDirs: readonly string[]): boolean =>
  insideAny(resolve(path), [...readDirs.map((dir) => resolve(dir)), ...readDirs.flatMap(realDirSync)]);

const insideAny = (path: string, dirs: readonly string[]): boolean =>
  dirs.some((dir) => {
    const rest = relative(dir, path);
    return rest !== '' && rest !== '..' && !rest.startsWith(`..${sep}`) && !isAbsolute(rest);
  });

/** A configured directory's real path; one that does not exist allows nothing. */
function realDirSync(dir: string): string[] {
  try {
    return [realpathSync(dir)];
  } catch {
    return [];
  }
}

/** The size fstat gives, once the file is known to be a regular one within the cap. */
function checkedSize(stats: Stats, path: string, { label, maxBytes }: BoundedRead): number {
  if (!stats.isFile()) throw new NamedFileError(`${label} ${path} is not a regular file (${fileKind(stats)})`);
  if (stats.size > maxBytes) throw tooLarge(path, stats.size, { label, maxBytes });
  return stats.size;
}

/**
 * Collects what is read until the end of the file or one byte past the cap: the size fstat gave is not trusted
 * (a file may grow meanwhile, and /proc files report 0).
 */
class Chunks {
  /** Sized from fstat (a CA file is read whole in one go), at least a page, at most one chunk. */
  readonly buffer: Buffer;
  private readonly parts: Buffer[] = [];
  private total = 0;
  private ended = false;

  constructor(
    private readonly maxBytes: number,
    statSize: number,
  ) {
    this.buffer = Buffer.alloc(Math.min(Math.max(statSize + 1, MIN_CHUNK_BYTES), CHUNK_BYTES));
  }

  wantsMore(): boolean {
    return !this.ended && this.total <= this.maxBytes;
  }

  add(bytesRead: number): void {
    if (bytesRead === 0) this.ended = true;
    this.parts.push(Buffer.from(this.buffer.subarray(0, bytesRead)));
    this.total += bytesRead;
  }

  result(path: string, read: BoundedRead): Buffer {
    if (this.total > read.maxBytes) throw tooLarge(path, null, read);
    return Buffer.concat(this.parts);
  }
}

const tooLarge = (path: string, size: number | null, { label, maxBytes }: BoundedRead) =>
  new NamedFileError(
    `${label} ${path} is larger than ${formatBytes(maxBytes)}${size === null ? '' : ` (${size} bytes)`}`,
  );

const outside = (label: string, path: string) =>
  new NamedFileError(`${label} ${path} is outside the directories this node allows (files.readDirs)`);

const cannotRead = (label: string, path: string, error: unknown) =>
  new NamedFileError(`cannot read ${label} ${path}: ${errorMessage(error)}`);

const named = (error: unknown, label: string, path: string): NamedFileError =>
  error instanceof NamedFileError ? error : cannotRead(label, path, error);

function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

const formatBytes = (bytes: number): string =>
  bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes % 1024 === 0
      ? `${bytes / 1024} KiB`
      : `${bytes} bytes`;
