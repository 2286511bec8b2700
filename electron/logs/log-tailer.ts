import type { BigIntStats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/** A file as the filesystem knows it, whatever its name: rotation renames a file, it does not change this. */
export interface FileIdentity {
  dev: string;
  ino: string;
}

/** Where a tailer is: the file it reads and the byte offset after the last line it returned. */
export interface TailPosition {
  path: string;
  /** Null when the file did not exist when first looked for: once it appears, all of it is new. */
  file: FileIdentity | null;
  offset: number;
}

export const MAX_LINE_CHARS = 10_000;
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

export interface LogTailerOptions {
  path: string;
  /** Where a previous run stopped (from the store); null the first time the source is seen: start at its end. */
  resume: TailPosition | null;
  logger: Logger;
  /** At most this many bytes are read per call, so a huge file cannot hold the event loop. */
  chunkBytes?: number;
  /** Longer lines are cut to this many characters (the rest up to the newline is dropped). */
  maxLineChars?: number;
}

const identityOf = (stats: BigIntStats): FileIdentity => ({ dev: String(stats.dev), ino: String(stats.ino) });
const sameFile = (a: FileIdentity | null, b: FileIdentity | null) => !!a && !!b && a.dev === b.dev && a.ino === b.ino;

/** The problem shown for a source that cannot be read, in the words an operator would use. */
export function describeProblem(error: unknown): string {
  switch ((error as { code?: string }).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'missing';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'not a regular file';
    default:
      return errorMessage(error);
  }
}

/** Cuts to `max` UTF-16 units without leaving half of a surrogate pair at the end. */
function capLine(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * Follows one log file by polling (no fs.watch: it misses events on network filesystems and across renames).
 *
 * Each `read()` returns the complete lines added since the last one; a last line without its newline is kept until
 * the newline arrives. A file that shrank was truncated: it is read again from its start. A path that now names
 * another file was rotated: the old file is finished through the descriptor still open on it, then the new one is
 * read from its start. `position()` is where a restart continues: after the last line returned, so saving it with
 * what was done with those lines means nothing is read twice or skipped.
 */
export class LogTailer {
  readonly path: string;
  private readonly logger: Logger;
  private readonly chunkBytes: number;
  private readonly maxLineChars: number;
  private readonly maxLineBytes: number;
  private handle: FileHandle | null = null;
  /** Never opened and no stored position: the first open starts at the end (old history is not replayed). */
  private firstSight: boolean;
  private file: FileIdentity | null;
  /** The next byte to read. */
  private offset: number;
  /** The first byte of the line not yet returned. */
  private lineStart: number;
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private problemText: string | null = null;
  private behindFile = false;

  constructor(options: LogTailerOptions) {
    this.path = options.path;
    this.logger = options.logger;
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.maxLineChars = options.maxLineChars ?? MAX_LINE_CHARS;
    // A UTF-16 unit takes at most 3 bytes of UTF-8 (a surrogate pair 4 for 2 units), plus a '\r'.
    this.maxLineBytes = this.maxLineChars * 3 + 1;
    const resume = options.resume?.path === options.path ? options.resume : null;
    this.firstSight = resume === null;
    this.file = resume?.file ?? null;
    this.offset = resume?.offset ?? 0;
    this.lineStart = this.offset;
  }

  /** Null while the file is readable; why not otherwise ("missing", "permission denied"). */
  get problem(): string | null {
    return this.problemText;
  }

  /** Whether the last `read()` stopped at `chunkBytes`: more of the file may be waiting (a backlog). */
  get behind(): boolean {
    return this.behindFile;
  }

  /** Where a restart should continue; null while the file was never found readable on the first look. */
  position(): TailPosition | null {
    if (this.firstSight) return null;
    return { path: this.path, file: this.file, offset: this.lineStart };
  }

  /** The complete lines added since the last call, reading at most `chunkBytes`. Never throws. */
  async read(): Promise<string[]> {
    const lines: string[] = [];
    this.behindFile = false;
    try {
      await this.readInto(lines);
    } catch (error) {
      // Reopened on the next call; the lines already taken stay taken (the position covers exactly them).
      this.report(describeProblem(error), error);
      await this.closeHandle();
    }
    return lines;
  }

  async close(): Promise<void> {
    await this.closeHandle();
  }

  private async readInto(lines: string[]): Promise<void> {
    if (!this.handle && !(await this.openFile())) return;
    let budget = this.chunkBytes;
    // Bounded: a path replaced on every look must not keep one call going.
    for (let rotations = 0; rotations < 3; rotations++) {
      budget -= await this.drain(budget, lines);
      if (budget <= 0) {
        this.behindFile = true;
        return;
      }
      // Caught up with the open file: does its path still name it?
      const current = await this.identifyPath();
      if (typeof current === 'string') {
        // Renamed away with no new file yet (or unreadable): keep the old one open, a writer may still add to it.
        this.report(current);
        return;
      }
      if (sameFile(current, this.file)) {
        this.report(null);
        return;
      }
      // Rotated. Finish the old file (its writer may have added to it since), then the new one from its start.
      budget -= await this.drain(budget, lines);
      if (budget <= 0) {
        this.behindFile = true;
        return;
      }
      if (this.partialBytes > 0) lines.push(this.takeLine());
      await this.closeHandle();
      this.logger.info({ path: this.path }, 'log file rotated; reading the new file from its start');
      this.file = null;
      if (!(await this.openFile())) return;
    }
  }

  private async openFile(): Promise<boolean> {
    let handle: FileHandle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      const problem = describeProblem(error);
      if (problem === 'missing' && this.firstSight) {
        // Whatever this file will hold once it is created is new.
        this.firstSight = false;
        this.file = null;
        this.startAt(0);
      }
      this.report(problem, error);
      return false;
    }
    try {
      const stats = await handle.stat({ bigint: true });
      if (!stats.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
      const identity = identityOf(stats);
      const size = Number(stats.size);
      if (this.firstSight) {
        this.startAt(size);
      } else if (!sameFile(this.file, identity)) {
        this.startAt(0);
      } else if (size < this.offset) {
        this.logger.info(
          { path: this.path, offset: this.offset, size },
          'log file truncated; reading it from its start',
        );
        this.startAt(0);
      }
      // Otherwise the same file as before: continue where we were, keeping any partial line.
      this.firstSight = false;
      this.file = identity;
      this.handle = handle;
      this.report(null);
      return true;
    } catch (error) {
      await handle.close().catch(() => undefined);
      this.report(describeProblem(error), error);
      return false;
    }
  }

  /** Reads what the open file has beyond the offset, up to `budget` bytes; returns how many bytes it read. */
  private async drain(budget: number, lines: string[]): Promise<number> {
    const handle = this.handle;
    if (!handle) return 0;
    const { size } = await handle.stat();
    if (size < this.offset) {
      this.logger.info({ path: this.path, offset: this.offset, size }, 'log file truncated; reading it from its start');
      this.startAt(0);
    }
    const length = Math.min(budget, size - this.offset);
    if (length <= 0) return 0;
    const buffer = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await handle.read(buffer, got, length - got, this.offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    this.consume(buffer.subarray(0, got), lines);
    return got;
  }

  private consume(chunk: Buffer, lines: string[]): void {
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, from);
      if (newline === -1) break;
      this.appendPartial(chunk.subarray(from, newline));
      lines.push(this.takeLine());
      from = newline + 1;
      this.lineStart = this.offset + from;
    }
    // Copied: a view would keep the whole chunk alive until the line ends.
    if (from < chunk.length) this.appendPartial(Buffer.from(chunk.subarray(from)));
    this.offset += chunk.length;
  }

  private appendPartial(bytes: Buffer): void {
    const room = this.maxLineBytes - this.partialBytes;
    if (room <= 0 || bytes.length === 0) return;
    const kept = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.partial.push(kept);
    this.partialBytes += kept.length;
  }

  private takeLine(): string {
    let text = (this.partial.length === 1 ? this.partial[0]! : Buffer.concat(this.partial)).toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    this.partial = [];
    this.partialBytes = 0;
    return capLine(text, this.maxLineChars);
  }

  private startAt(offset: number): void {
    this.offset = offset;
    this.lineStart = offset;
    this.partial = [];
    this.partialBytes = 0;
  }

  private async identifyPath(): Promise<FileIdentity | string> {
    try {
      return identityOf(await stat(this.path, { bigint: true }));
    } catch (error) {
      return describeProblem(error);
    }
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
  }

  /** Logs a change of problem once, not on every poll; a file not created yet is routine, not a warning. */
  private report(problem: string | null, error?: unknown): void {
    if (problem === this.problemText) return;
    const previous = this.problemText;
    this.problemText = problem;
    if (problem === null) this.logger.info({ path: this.path, previous }, 'log file readable');
    else if (problem === 'missing') this.logger.info({ path: this.path }, 'log file missing; waiting for it');
    else this.logger.warn({ path: this.path, problem, err: error }, 'cannot read log file');
  }
}
