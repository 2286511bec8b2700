import {
  appendFileSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LogTailer,
  describeProblem,
  type LogTailerOptions,
  type TailPosition,
} from '../../../electron/logs/log-tailer.js';
import { memoryLogger } from '../../support/test-logger.js';

const tailers: LogTailer[] = [];

afterEach(async () => {
  for (const tailer of tailers.splice(0)) await tailer.close();
});

function setup(name = 'app.log') {
  const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-tailer-'));
  return { dir, file: join(dir, name) };
}

function tail(path: string, resume: TailPosition | null = null, options: Partial<LogTailerOptions> = {}) {
  const { logger, lines: logLines } = memoryLogger();
  const tailer = new LogTailer({ path, resume, logger, ...options });
  tailers.push(tailer);
  return { tailer, logLines };
}

describe('LogTailer', () => {
  it('starts at the end of a file it has never seen, then returns each appended line once', async () => {
    const { file } = setup();
    writeFileSync(file, 'old history\nmore history\n');
    const { tailer } = tail(file);
    expect(await tailer.read()).toEqual([]);
    appendFileSync(file, 'first\nsecond\n');
    expect(await tailer.read()).toEqual(['first', 'second']);
    expect(await tailer.read()).toEqual([]);
    appendFileSync(file, 'third\n');
    expect(await tailer.read()).toEqual(['third']);
    expect(tailer.problem).toBeNull();
  });

  it('keeps a partial last line until its newline arrives; the position stays before it', async () => {
    const { file } = setup();
    writeFileSync(file, '');
    const { tailer } = tail(file);
    await tailer.read();
    appendFileSync(file, 'hel');
    expect(await tailer.read()).toEqual([]);
    expect(tailer.position()?.offset).toBe(0);
    appendFileSync(file, 'lo\nwor');
    expect(await tailer.read()).toEqual(['hello']);
    expect(tailer.position()?.offset).toBe(6);
    appendFileSync(file, 'ld\r\n\n');
    expect(await tailer.read()).toEqual(['world', '']);
    expect(tailer.position()?.offset).toBe(14);
  });

  it('does not split a character cut across two reads', async () => {
    const { file } = setup();
    writeFileSync(file, '');
    const { tailer } = tail(file, null, { chunkBytes: 3 });
    await tailer.read();
    appendFileSync(file, 'héllo wörld ✓\n');
    const lines: string[] = [];
    for (let i = 0; i < 10; i++) lines.push(...(await tailer.read()));
    expect(lines).toEqual(['héllo wörld ✓']);
  });

  it('reads at most chunkBytes per call, says it is behind while it stopped short, and continues on the next', async () => {
    const { file } = setup();
    writeFileSync(file, '');
    const { tailer } = tail(file, null, { chunkBytes: 10 });
    await tailer.read();
    expect(tailer.behind).toBe(false);
    appendFileSync(file, 'aaaa\nbbbb\ncccc\ndddd\neee\n');
    expect(await tailer.read()).toEqual(['aaaa', 'bbbb']);
    expect(tailer.behind).toBe(true);
    expect(await tailer.read()).toEqual(['cccc', 'dddd']);
    expect(tailer.behind).toBe(true);
    expect(await tailer.read()).toEqual(['eee']);
    expect(tailer.behind).toBe(false);
  });

  it('reads a truncated file again from its start', async () => {
    const { file } = setup();
    writeFileSync(file, '');
    const { tailer, logLines } = tail(file);
    await tailer.read();
    appendFileSync(file, 'a fairly long line before the truncation\n');
    expect(await tailer.read()).toEqual(['a fairly long line before the truncation']);
    truncateSync(file, 0);
    appendFileSync(file, 'after\n');
    expect(await tailer.read()).toEqual(['after']);
    expect(logLines.some((line) => line.msg === 'log file truncated; reading it from its start')).toBe(true);
  });

  it('loses no line across a rename rotation: finishes the old file, then reads the new one from its start', async () => {
    const { file } = setup();
    writeFileSync(file, '');
    const { tailer } = tail(file);
    await tailer.read();
    appendFileSync(file, 'one\n');
    expect(await tailer.read()).toEqual(['one']);

    // The writer keeps its descriptor on the old file and writes to it after the rename, until it reopens.
    const writer = openSync(file, 'a');
    writeSync(writer, 'two\n');
    renameSync(file, `${file}.1`);
    writeFileSync(file, 'four\n');
    writeSync(writer, 'three without newline');
    closeSync(writer);
    appendFileSync(file, 'five\n');

    expect(await tailer.read()).toEqual(['two', 'three without newline', 'four', 'five']);
    appendFileSync(file, 'six\n');
    expect(await tailer.read()).toEqual(['six']);
    appendFileSync(`${file}.1`, 'written to the rotated file after the switch\n');
    expect(await tailer.read()).toEqual([]);
  });

  it('keeps reading a file renamed away while no new one exists, reporting the path missing', async () => {
    const { file } = setup();
    writeFileSync(file, '');
    const { tailer } = tail(file);
    await tailer.read();
    const writer = openSync(file, 'a');
    renameSync(file, `${file}.1`);
    writeSync(writer, 'still written\n');
    expect(await tailer.read()).toEqual(['still written']);
    expect(tailer.problem).toBe('missing');
    writeSync(writer, 'last words\n');
    closeSync(writer);
    writeFileSync(file, 'new file\n');
    expect(await tailer.read()).toEqual(['last words', 'new file']);
    expect(tailer.problem).toBeNull();
  });

  it('waits for a file that does not exist yet and reads all of it once it appears', async () => {
    const { dir } = setup();
    const file = join(dir, 'later', 'app.log');
    const { tailer, logLines } = tail(file);
    expect(await tailer.read()).toEqual([]);
    expect(await tailer.read()).toEqual([]);
    expect(tailer.problem).toBe('missing');
    expect(tailer.position()).toEqual({ path: file, file: null, offset: 0 });
    expect(logLines.filter((line) => Number(line.level) >= 40)).toEqual([]);
    expect(logLines.filter((line) => line.msg === 'log file missing; waiting for it')).toHaveLength(1);

    mkdirSync(join(dir, 'later'));
    writeFileSync(file, 'x\ny\n');
    expect(await tailer.read()).toEqual(['x', 'y']);
    expect(tailer.problem).toBeNull();
  });

  it('resumes after a restart exactly at the stored position: no line lost or read twice', async () => {
    const { file } = setup();
    writeFileSync(file, '');
    const first = tail(file).tailer;
    await first.read();
    appendFileSync(file, 'a\nb\npart');
    expect(await first.read()).toEqual(['a', 'b']);
    const stored = first.position();
    await first.close();

    appendFileSync(file, 'ial\nc\n');
    const second = tail(file, stored).tailer;
    expect(await second.read()).toEqual(['partial', 'c']);
    expect(await second.read()).toEqual([]);
  });

  it('after a restart, reads from its start a file that replaced the stored one, or one that was truncated', async () => {
    const { file } = setup();
    writeFileSync(file, 'one\ntwo\n');
    const first = tail(file).tailer;
    await first.read();
    const stored = first.position();
    await first.close();
    expect(stored?.offset).toBe(8);

    renameSync(file, `${file}.1`);
    writeFileSync(file, 'new\n');
    expect(await tail(file, stored).tailer.read()).toEqual(['new']);

    const other = setup().file;
    writeFileSync(other, 'long line one\n');
    const t = tail(other).tailer;
    await t.read();
    appendFileSync(other, 'long line two\n');
    await t.read();
    const position = t.position();
    await t.close();
    writeFileSync(other, 'short\n');
    expect(await tail(other, position).tailer.read()).toEqual(['short']);
  });

  it('ignores a stored position for another path (the source now names another file)', async () => {
    const { file } = setup();
    writeFileSync(file, 'history\n');
    const { tailer } = tail(file, { path: '/elsewhere.log', file: null, offset: 0 });
    expect(await tailer.read()).toEqual([]);
    appendFileSync(file, 'new\n');
    expect(await tailer.read()).toEqual(['new']);
  });

  it('caps a huge line at 10,000 characters and carries on with the next', async () => {
    const { file } = setup();
    writeFileSync(file, '');
    const { tailer } = tail(file, null, { chunkBytes: 4096 });
    await tailer.read();
    appendFileSync(file, `${'x'.repeat(200_000)}\nafter\n`);
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) lines.push(...(await tailer.read()));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('x'.repeat(10_000));
    expect(lines[1]).toBe('after');
  });

  it('reports a directory as not a regular file', async () => {
    const { dir } = setup();
    const { tailer } = tail(dir);
    expect(await tailer.read()).toEqual([]);
    expect(tailer.problem).toBe('not a regular file');
  });

  // Root may read any file, and CI runs as root: the mapping is checked directly instead of with a chmod 000 file.
  it('words a permission error as "permission denied", and other errors with their message', () => {
    expect(describeProblem(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }))).toBe(
      'permission denied',
    );
    expect(describeProblem(Object.assign(new Error('EPERM'), { code: 'EPERM' }))).toBe('permission denied');
    expect(describeProblem(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }))).toBe(
      'EIO: i/o error, read',
    );
  });

  it('reports a deleted file as missing and reads the one created in its place from its start', async () => {
    const { file } = setup();
    writeFileSync(file, '');
    const { tailer } = tail(file);
    await tailer.read();
    rmSync(file);
    expect(await tailer.read()).toEqual([]);
    expect(tailer.problem).toBe('missing');
    writeFileSync(file, 'reborn\n');
    expect(await tailer.read()).toEqual(['reborn']);
  });
});
