import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../electron/config/load-config.js';
import { configFailure } from '../../support/config-failure.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-config-file-'));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const loadFile = (path: string, argv: string[] = []) => loadConfig({ argv: ['--config', path, ...argv], env: {} });

describe('loadConfig: the config file itself', () => {
  it('refuses a file over 1 MiB at once, by its size, without reading it', () => {
    const huge = join(dir, 'huge.yaml');
    writeFileSync(huge, '');
    truncateSync(huge, 52 * 1024 * 1024);
    const started = performance.now();
    expect(configFailure(() => loadFile(huge))).toBe(
      `config file ${huge} is larger than 1 MiB (${52 * 1024 * 1024} bytes)`,
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses what is not a regular file: a device, a FIFO, a directory', () => {
    expect(configFailure(() => loadFile('/dev/zero'))).toBe(
      'config file /dev/zero is not a regular file (a character device)',
    );
    const fifo = join(dir, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(configFailure(() => loadFile(fifo))).toBe(`config file ${fifo} is not a regular file (a FIFO)`);
    const folder = join(dir, 'folder.yaml');
    mkdirSync(folder);
    expect(configFailure(() => loadFile(folder))).toBe(`config file ${folder} is not a regular file (a directory)`);
  });

  it('refuses a file that is not UTF-8, naming the offset of the first invalid byte', () => {
    const latin1 = file(
      'latin1.yaml',
      Buffer.concat([Buffer.from('name: caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
    );
    expect(configFailure(() => loadFile(latin1))).toBe(
      `config file ${latin1} is not UTF-8: byte 0xe9 at offset 9 is not valid UTF-8`,
    );
    // Valid multi-byte characters before the bad byte count by bytes, not characters.
    // 6 + 2 (é) + 3 (€) + 4 (😀) + 1 + 12 bytes come first; C0 80 is an overlong NUL.
    const later = file(
      'later.yaml',
      Buffer.concat([Buffer.from('name: é€😀\nlabels: {a: '), Buffer.from([0xc0, 0x80])]),
    );
    expect(configFailure(() => loadFile(later))).toBe(
      `config file ${later} is not UTF-8: byte 0xc0 at offset 28 is not valid UTF-8`,
    );
    expect(loadFile(file('utf8.yaml', 'name: café-€\n')).name).toBe('café-€');
  });

  it('blames an unknown key on the file it is in, even when flags set other fields', () => {
    const path = file('unknown.yaml', 'name: n\ncolour: red\n');
    expect(configFailure(() => loadFile(path, ['--port', '0']))).toBe(
      `invalid config: (root): Unrecognized key: "colour" (from ${path})`,
    );
    const nested = file('nested.yaml', 'api:\n  colour: red\n');
    expect(configFailure(() => loadFile(nested, ['--port', '0']))).toBe(
      `invalid config: api: Unrecognized key: "colour" (from ${nested})`,
    );
  });

  it('takes only absolute directories in files.readDirs', () => {
    const path = file('read-dirs.yaml', 'files:\n  readDirs: [/etc/fleetdeck/ca, certs]\n');
    expect(configFailure(() => loadFile(path))).toBe(
      `invalid config: files.readDirs.1: must be an absolute path: "certs" (from ${path})`,
    );
  });
});
