import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliPath, startAgentProcess, tempDir } from '../support/agent-process.js';

const run = promisify(execFile);
const tokenPattern = /fd_[A-Za-z0-9_-]{43}/g;

/** `fleetdeck <args>` as a user types it; resolves with the exit code and output instead of throwing. */
async function fleetdeck(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return fleetdeckWith({}, ...args);
}

async function fleetdeckWith(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliPath, ...args], {
      timeout: 15_000,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout: stdout.trim(), stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout.trim(), stderr: failed.stderr };
  }
}

const nodeStatus = (url: string, token: string) =>
  fetch(`${url}/rpc/node.status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: '{}',
  });

describe('fleetdeck token (CLI) and the agent process', () => {
  it('first start prints one admin token; tokens from the CLI work at once, revoked ones do not; none is logged', async () => {
    const dataDir = tempDir();
    const config = { api: { auth: 'required' } };
    const agent = await startAgentProcess({ dataDir, config });
    try {
      const printed = agent.stderr.filter((line) => !line.startsWith('{')).join('\n');
      const [initial, ...more] = printed.match(tokenPattern) ?? [];
      expect(more).toEqual([]);
      expect(printed).toContain('"initial-admin" (scope admin)');
      expect((await nodeStatus(agent.url, initial!)).status).toBe(200);

      const created = await fleetdeck('token', 'create', '--scope', 'read', '--name', 'grafana', '--data-dir', dataDir);
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/^fd_[A-Za-z0-9_-]{43}$/);
      expect(created.stderr).toMatch(/token tok_[0-9a-f]{12} "grafana" \(scope read\) created/);
      const grafana = created.stdout;
      expect((await nodeStatus(agent.url, grafana)).status).toBe(200);

      // fleetdeck task takes the token from FLEETDECK_TOKEN.
      const tasksRefused = await fleetdeck('task', 'list', '--api', agent.url);
      expect(tasksRefused.code).toBe(1);
      expect(tasksRefused.stderr).toContain('tasks.list: missing token');
      const tasks = await fleetdeckWith({ FLEETDECK_TOKEN: grafana }, 'task', 'list', '--api', agent.url);
      expect(tasks).toMatchObject({ code: 0, stdout: 'no tasks' });

      const listed = await fleetdeck('token', 'list', '--data-dir', dataDir);
      expect(listed.code).toBe(0);
      expect(listed.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+SCOPE\s+PREFIX\s+CREATED\s+LAST USED\s+REVOKED$/);
      expect(listed.stdout).toMatch(/grafana\s+read\s+fd_/);
      expect(listed.stdout).toMatch(/initial-admin\s+admin\s+fd_/);
      expect(listed.stdout).not.toContain(grafana);

      const duplicate = await fleetdeck(
        'token',
        'create',
        '--scope',
        'read',
        '--name',
        'grafana',
        '--data-dir',
        dataDir,
      );
      expect(duplicate.code).toBe(1);
      expect(duplicate.stderr).toContain('a token named "grafana" already exists');
      const badScope = await fleetdeck('token', 'create', '--scope', 'root', '--name', 'x', '--data-dir', dataDir);
      expect(badScope.code).toBe(2);
      expect(badScope.stderr).toContain('--scope');

      const revoked = await fleetdeck('token', 'revoke', 'grafana', '--data-dir', dataDir);
      expect(revoked).toMatchObject({ code: 0, stdout: expect.stringMatching(/^revoked tok_[0-9a-f]{12} "grafana"$/) });
      const refused = await nodeStatus(agent.url, grafana);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual({ error: { code: 'unauthorized', message: 'token "grafana" was revoked' } });

      const log = agent.stderr.filter((line) => line.startsWith('{')).join('\n');
      expect(log).toContain('"reason":"token \\"grafana\\" was revoked"');
      for (const token of [initial!, grafana]) expect(log).not.toContain(token);
    } finally {
      await agent.stop();
    }
  });

  it('refuses to start when tokens are needed and none is active, naming the command to run', async () => {
    const dataDir = tempDir();
    const first = await startAgentProcess({ dataDir, config: { api: { auth: 'required' } } });
    await first.stop();
    // The data dir can come from a config file too.
    const configFile = join(tempDir(), 'fleetdeck.json');
    writeFileSync(configFile, JSON.stringify({ dataDir }));
    expect((await fleetdeck('token', 'revoke', 'initial-admin', '--config', configFile)).code).toBe(0);

    const again = await fleetdeck(
      'agent',
      '--data-dir',
      dataDir,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--config',
      `${dataDir}/test-config.json`,
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(
      `fleetdeck: the API on 127.0.0.1 needs a token on every request (api.auth is "required"), but ${dataDir} has no active token; create one with \`fleetdeck token create --scope admin --name <name> --data-dir ${dataDir}\``,
    );
    // Not a first start: no new token was made or printed.
    expect(again.stderr).not.toMatch(tokenPattern);
  });
});
