import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectRecordedProcess } from '../../../electron/health/supervisor/process-group.js';

const started: ChildProcess[] = [];

afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
});

async function run(file: string, args: string[], detached = true): Promise<number> {
  const child = spawn(file, args, { detached, stdio: 'ignore' });
  started.push(child);
  await once(child, 'spawn');
  return child.pid!;
}

const idle = 'setInterval(() => {}, 1000)';

describe('inspectRecordedProcess', () => {
  it('recognises a group leader running the recorded argv, and nothing else', async () => {
    const argv = [process.execPath, '-e', idle];
    const pid = await run(argv[0]!, argv.slice(1));
    expect(inspectRecordedProcess(pid, argv)).toEqual({ status: 'ours' });
    expect(inspectRecordedProcess(pid, [process.execPath, '-e', `${idle};`])).toMatchObject({
      status: 'other',
      reason: expect.stringContaining('it runs'),
    });
    expect(inspectRecordedProcess(pid, [])).toMatchObject({ status: 'other' });
  });

  it('refuses a process that does not lead its own group', async () => {
    const argv = [process.execPath, '-e', idle];
    const pid = await run(argv[0]!, argv.slice(1), false);
    expect(inspectRecordedProcess(pid, argv)).toMatchObject({
      status: 'other',
      reason: expect.stringContaining('not a process group leader'),
    });
  });

  it('accepts a #! script seen behind its interpreter', async () => {
    const script = join(mkdtempSync(join(tmpdir(), 'fleetdeck-process-group-')), 'service.js');
    writeFileSync(script, `#!${process.execPath}\n${idle};\n`);
    chmodSync(script, 0o755);
    const pid = await run(script, ['--port', '8080']);
    expect(inspectRecordedProcess(pid, [script, '--port', '8080'])).toEqual({ status: 'ours' });
    expect(inspectRecordedProcess(pid, [script, '--port', '9090'])).toMatchObject({ status: 'other' });
  });

  it('reports an ended process as gone, and a live one as unverifiable without /proc', async () => {
    const argv = [process.execPath, '-e', idle];
    const pid = await run(argv[0]!, argv.slice(1));
    expect(inspectRecordedProcess(pid, argv, '/nonexistent/proc')).toMatchObject({ status: 'unverifiable' });

    const child = started.pop()!;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    expect(inspectRecordedProcess(pid, argv)).toEqual({ status: 'gone' });
  });
});
