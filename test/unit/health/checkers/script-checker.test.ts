import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckContext } from '../../../../electron/health/checkers/checker.js';
import { checkScript } from '../../../../electron/health/checkers/script-checker.js';
import { ScriptCheck, type CommandDefinition } from '../../../../shared/services.js';
import { waitFor } from '../../../support/poll.js';
import { checkContext } from './check-context.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const node = (source: string, extra: Partial<CommandDefinition> = {}): CommandDefinition => ({
  argv: [process.execPath, '-e', source],
  env: {},
  ...extra,
});

/** Starts a grandchild that would run for a minute, writes [own pid, grandchild pid] to PID_FILE, then `then`. */
const forkAndRecord = (pidFile: string, then: string) =>
  node(
    `const { spawn } = require('node:child_process');
     const grandchild = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
     require('node:fs').writeFileSync(process.env.PID_FILE, JSON.stringify([process.pid, grandchild.pid]));
     ${then}`,
    { env: { PID_FILE: join(dir, pidFile) } },
  );

const readPids = (pidFile: string): [number, number] =>
  JSON.parse(readFileSync(join(dir, pidFile), 'utf8')) as [number, number];

/** Gone: no such process, or a zombie waiting for a parent (it runs nothing any more). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const stat = `/proc/${pid}/stat`;
  return existsSync(stat) && / Z /.test(readFileSync(stat, 'utf8'));
}

const commands: Record<string, CommandDefinition> = {
  ok: node(`console.log('all good')`),
  'disk-warn': node(`console.log('disk 91% full'); process.exit(1)`),
  fail: node(`process.exit(2)`),
  'last-line': node(`console.log('first\\nsecond  \\n\\n   ')`),
  stderr: node(`console.error('boom'); process.exit(3)`),
  'env-cwd': node(`console.log(process.env.FLEETDECK_PROBE, process.cwd(), Boolean(process.env.PATH))`, {
    env: { FLEETDECK_PROBE: 'probe-value' },
    cwd: dir,
  }),
  'long-line': node(`console.log('x'.repeat(10000))`),
  signalled: node(`process.kill(process.pid, 'SIGTERM')`),
  missing: { argv: [join(dir, 'no-such-program')], env: {} },
  hang: forkAndRecord('hang.json', `setInterval(() => {}, 1000)`),
  'leave-behind': forkAndRecord('leave-behind.json', `process.exit(0)`),
};

const run = (command: string, context: Partial<CheckContext> = {}) => {
  const check = ScriptCheck.parse({ name: 'script', type: 'script', command, timeoutMs: 10_000 });
  return checkScript(check, { ...checkContext(check.timeoutMs, { commands }), ...context });
};

describe('script checker', () => {
  it('passes on exit 0 and reports the last output line', async () => {
    expect(await run('ok')).toEqual({ status: 'passing', output: 'exit 0: all good' });
  });

  it('warns on exit 1', async () => {
    expect(await run('disk-warn')).toEqual({ status: 'warning', output: 'exit 1: disk 91% full' });
  });

  it('is critical on any other exit code', async () => {
    expect(await run('fail')).toEqual({ status: 'critical', output: 'exit 2' });
  });

  it('takes the last non-empty line, trimmed', async () => {
    expect(await run('last-line')).toEqual({ status: 'passing', output: 'exit 0: second' });
  });

  it('captures stderr', async () => {
    expect(await run('stderr')).toEqual({ status: 'critical', output: 'exit 3: boom' });
  });

  it('runs in the command cwd with its env merged over the agent env', async () => {
    expect(await run('env-cwd')).toEqual({
      status: 'passing',
      output: `exit 0: probe-value ${realpathSync(dir)} true`,
    });
  });

  it('caps the output at 4096 characters', async () => {
    const result = await run('long-line');
    expect(result.output).toHaveLength(4096);
    expect(result.output.startsWith('exit 0: xxx')).toBe(true);
  });

  it('is critical when the command dies of a signal', async () => {
    expect(await run('signalled')).toEqual({ status: 'critical', output: 'killed by SIGTERM' });
  });

  it('runs only commands from the node config', async () => {
    expect(await run('rm-rf')).toEqual({
      status: 'unknown',
      output: `command "rm-rf" is not defined in this node's config`,
    });
    expect((await run('constructor')).status).toBe('unknown');
  });

  it('is unknown when the command cannot start', async () => {
    const result = await run('missing');
    expect(result.status).toBe('unknown');
    expect(result.output).toMatch(/^cannot run command "missing": command not found: .*no-such-program \(ENOENT\)$/);
  });

  it('kills the whole process group when the time is up', async () => {
    const check = ScriptCheck.parse({ name: 'script', type: 'script', command: 'hang', timeoutMs: 2_000 });
    const result = await checkScript(check, checkContext(check.timeoutMs, { commands }));
    expect(result).toEqual({ status: 'critical', output: 'timed out after 2000 ms' });
    const [child, grandchild] = readPids('hang.json');
    // The checker settles only after the child was reaped; the grandchild's death is the kernel's to finish.
    expect(isGone(child)).toBe(true);
    await waitFor('the grandchild to die', () => isGone(grandchild));
  });

  it('kills what a finished command left running', async () => {
    expect((await run('leave-behind')).status).toBe('passing');
    const [, grandchild] = readPids('leave-behind.json');
    await waitFor('the left-behind process to die', () => isGone(grandchild));
  });

  it('is cancelled, not failed, when the agent stops', async () => {
    const stopping = new AbortController();
    stopping.abort(new Error('agent stopping'));
    expect(await run('ok', { signal: stopping.signal })).toEqual({
      status: 'unknown',
      output: 'cancelled: agent stopping',
    });
  });
});
