import { execFileSync, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assertBuilt, cliPath, repoRoot, tempDir } from '../support/agent-process.js';
import { clientFor } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';

/** Whether a process with this pid still exists (signal 0 only checks). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('fleetdeck demo --nodes 2 in a terminal', () => {
  it('writes readable log lines and stops cleanly on Ctrl+C, agents and etcd included', async () => {
    assertBuilt();
    // Its own process group, as a shell gives a foreground job: Ctrl+C signals the whole group.
    const demo = spawn(process.execPath, [cliPath, 'demo', '--nodes', '2', '--data-dir', tempDir(), '--port', '0'], {
      cwd: repoRoot,
      env: { ...process.env, FLEETDECK_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout: string[] = [];
    const stderr: string[] = [];
    demo.stdout.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
    demo.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
    try {
      const url = await waitFor(
        'the demo to print its URL',
        () => /ready at (http:\/\/\S+)/.exec(stdout.join(''))?.[1],
        { timeoutMs: 30_000 },
      );
      const client = clientFor(url);
      const members = await waitFor('both members listed', async () => {
        const listed = await client.call('cluster.members', {});
        return listed.length === 2 ? listed : undefined;
      });
      expect(members.map((member) => member.name).sort()).toEqual(['demo-1', 'demo-2']);
      // The demo's children (the agents and etcd), to check that none outlives it.
      const children = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(demo.pid)], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((line) => line.trim().split(/\s+/));
      expect(children.map(([, command]) => command).sort()).toEqual(['etcd', 'node', 'node']);
      const pids = children.map(([pid]) => Number(pid));
      await waitFor(
        'log lines from both agents',
        () => /demo-1 /.test(stderr.join('')) && /demo-2 /.test(stderr.join('')),
      );

      const lines = stderr.join('').split('\n').filter(Boolean);
      expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
      expect(lines.some((line) => /^\[\d\d:\d\d:\d\d\] INFO: demo-1 \[\w[\w-]*\] /.test(line))).toBe(true);

      process.kill(-demo.pid!, 'SIGINT');
      expect(await exited).toBe(0);
      expect(stderr.join('')).not.toContain('exiting without a clean shutdown');
      await waitFor('the agents and etcd to be gone', () => pids.every((pid) => !alive(pid)));
    } finally {
      if (demo.exitCode === null) process.kill(-demo.pid!, 'SIGKILL');
    }
  }, 60_000);
});
