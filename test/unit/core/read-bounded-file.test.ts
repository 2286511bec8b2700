import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assertAllowedPath,
  namedByConfig,
  readBoundedFile,
  readBoundedFileSync,
  type FileScope,
} from '../../../electron/core/read-bounded-file.js';

const root = mkdtempSync(join(tmpdir(), 'fleetdeck-bounded-'));
const allowed = join(root, 'allowed');
const elsewhere = join(root, 'elsewhere');
mkdirSync(allowed);
mkdirSync(elsewhere);
writeFileSync(join(allowed, 'ca.pem'), 'inside');
writeFileSync(join(elsewhere, 'secret.pem'), 'outside');
symlinkSync(join(elsewhere, 'secret.pem'), join(allowed, 'link-out.pem'));
symlinkSync(allowed, join(root, 'allowed-link'));

const read = { label: 'caFile', maxBytes: 1024 };
const fromApi: FileScope = { from: 'outside', readDirs: [allowed] };
const outside = (path: string) => `caFile ${path} is outside the directories this node allows (files.readDirs)`;

describe('readBoundedFile', () => {
  it('reads a regular file inside the allowed directories, named through them or through their real path', async () => {
    expect((await readBoundedFile(join(allowed, 'ca.pem'), fromApi, read)).toString()).toBe('inside');
    const viaLinkedDir: FileScope = { from: 'outside', readDirs: [join(root, 'allowed-link')] };
    expect((await readBoundedFile(join(allowed, 'ca.pem'), viaLinkedDir, read)).toString()).toBe('inside');
    expect((await readBoundedFile(join(root, 'allowed-link', 'ca.pem'), viaLinkedDir, read)).toString()).toBe('inside');
  });

  it('gives the same answer for a path outside whether or not it exists, and for a symlink that leads out', async () => {
    for (const path of [join(elsewhere, 'secret.pem'), join(elsewhere, 'missing.pem'), '/etc/passwd', '/nope/x']) {
      await expect(readBoundedFile(path, fromApi, read)).rejects.toThrow(outside(path));
    }
    const escape = join(allowed, '..', 'elsewhere', 'secret.pem');
    await expect(readBoundedFile(escape, fromApi, read)).rejects.toThrow(outside(escape));
    const link = join(allowed, 'link-out.pem');
    await expect(readBoundedFile(link, fromApi, read)).rejects.toThrow(outside(link));
    await expect(readBoundedFile('/dev/zero', { from: 'outside', readDirs: [] }, read)).rejects.toThrow(
      outside('/dev/zero'),
    );
  });

  it('refuses devices, FIFOs and directories even where any path may be named, without blocking on the FIFO', async () => {
    await expect(readBoundedFile('/dev/zero', namedByConfig, read)).rejects.toThrow(
      'caFile /dev/zero is not a regular file (a character device)',
    );
    const fifo = join(allowed, 'fifo.pem');
    execFileSync('mkfifo', [fifo]);
    await expect(readBoundedFile(fifo, fromApi, read)).rejects.toThrow(`caFile ${fifo} is not a regular file (a FIFO)`);
    expect(() => readBoundedFileSync(allowed, read)).toThrow(`caFile ${allowed} is not a regular file (a directory)`);
  });

  it('refuses a file over the cap by its size, and names a file that cannot be read', async () => {
    const big = join(allowed, 'big.pem');
    writeFileSync(big, '');
    truncateSync(big, 4096);
    await expect(readBoundedFile(big, fromApi, read)).rejects.toThrow(
      `caFile ${big} is larger than 1 KiB (4096 bytes)`,
    );
    const missing = join(allowed, 'missing.pem');
    await expect(readBoundedFile(missing, fromApi, read)).rejects.toThrow(
      new RegExp(`^cannot read caFile ${missing}: ENOENT`),
    );
  });

  it('does not trust the size fstat gives: /proc files say 0 yet are read whole, and still capped', async () => {
    const status = await readBoundedFile('/proc/self/status', namedByConfig, { label: 'status', maxBytes: 1 << 20 });
    expect(status.toString()).toMatch(/^Name:/);
    expect(() => readBoundedFileSync('/proc/self/maps', { label: 'maps', maxBytes: 100 })).toThrow(
      'maps /proc/self/maps is larger than 100 bytes',
    );
  });

  it('stops at once when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    await expect(readBoundedFile(join(allowed, 'ca.pem'), fromApi, read, controller.signal)).rejects.toThrow(
      'timed out',
    );
  });
});

describe('assertAllowedPath', () => {
  it('passes a path inside (existing or not yet), refuses one outside or resolving outside', () => {
    expect(() => assertAllowedPath(join(allowed, 'ca.pem'), [allowed], 'caFile')).not.toThrow();
    expect(() => assertAllowedPath(join(allowed, 'later.pem'), [allowed], 'caFile')).not.toThrow();
    for (const path of ['/dev/zero', join(elsewhere, 'secret.pem'), join(allowed, 'link-out.pem')]) {
      expect(() => assertAllowedPath(path, [allowed], 'caFile')).toThrow(outside(path));
    }
  });
});
