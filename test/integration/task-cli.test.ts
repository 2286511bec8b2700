import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, startAgentProcess, type AgentProcess } from '../support/agent-process.js';
import { waitFor } from '../support/poll.js';

const run = promisify(execFile);

/** `fleetdeck task …` as a user types it; resolves with the exit code and output instead of throwing. */
async function fleetdeck(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliPath, 'task', ...args], { timeout: 15_000 });
    return { code: 0, stdout: stdout.trim(), stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout.trim(), stderr: failed.stderr };
  }
}

describe('fleetdeck task (CLI)', () => {
  let agent: AgentProcess;
  beforeAll(async () => {
    agent = await startAgentProcess();
  });
  afterAll(async () => {
    await agent.stop();
  });

  it('submits a task, prints its id, and shows it with get and list', async () => {
    const submitted = await fleetdeck('submit', '--type', 'sleep', '--payload', '{"ms":100}', '--api', agent.url);
    expect(submitted.code).toBe(0);
    const id = submitted.stdout;
    expect(id).toMatch(/^[0-9a-z]+-[0-9a-f]+$/);

    await waitFor('the task to succeed', async () => {
      const got = await fleetdeck('get', id, '--api', agent.url);
      return got.code === 0 && (JSON.parse(got.stdout) as { state: string }).state === 'succeeded';
    });
    const listed = await fleetdeck('list', '--state', 'succeeded', '--api', agent.url);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+succeeded\\s+sleep\\s`, 'm'));
  });

  it('reads the API address from FLEETDECK_API', async () => {
    const { stdout, stderr } = await run(process.execPath, [cliPath, 'task', 'list', '--json'], {
      env: { ...process.env, FLEETDECK_API: agent.url },
    });
    expect(stderr).toBe('');
    expect(Array.isArray(JSON.parse(stdout))).toBe(true);
  });

  it('refuses a bad submit with exit 2 naming the field, and bad flags before calling', async () => {
    const refused = await fleetdeck('submit', '--type', 'sleep', '--payload', '{"ms":"soon"}', '--api', agent.url);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('payload.ms');

    const notJson = await fleetdeck('submit', '--type', 'sleep', '--payload', '{ms:1}', '--api', agent.url);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('--payload: not JSON');

    const unknownFlag = await fleetdeck('list', '--colour', '--api', agent.url);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain("Unknown option '--colour'");

    const missing = await fleetdeck('get', 'no-such-task', '--api', agent.url);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no task no-such-task');
  });
});
