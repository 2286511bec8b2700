import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFleetCredential } from '../../../electron/auth/fleet-credential.js';
import { tempDir } from '../../support/agent-process.js';

describe('readFleetCredential', () => {
  it('reads the file once, trimmed', () => {
    const file = join(tempDir(), 'fleet-token');
    writeFileSync(file, '  s3cret-fleet-credential-0123456789\n\n', { mode: 0o600 });
    expect(readFleetCredential(file)).toBe('s3cret-fleet-credential-0123456789');
  });

  it('refuses what is not a credential, naming the file and why', () => {
    const dir = tempDir();
    const short = join(dir, 'short');
    writeFileSync(short, 'abc\n');
    expect(() => readFleetCredential(short)).toThrow(
      `fleet credential ${short} holds 3 characters; it needs at least 16`,
    );
    const big = join(dir, 'big');
    writeFileSync(big, 'x'.repeat(5000));
    expect(() => readFleetCredential(big)).toThrow(`fleet credential ${big} is larger than 4096 bytes`);
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    expect(() => readFleetCredential(folder)).toThrow(`fleet credential ${folder} is not a regular file`);
    expect(() => readFleetCredential('/dev/zero')).toThrow('fleet credential /dev/zero is not a regular file');
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => readFleetCredential(fifo)).toThrow(`fleet credential ${fifo} is not a regular file`);
    expect(() => readFleetCredential(join(dir, 'missing'))).toThrow(/cannot read the fleet credential .*ENOENT/);
  });
});
