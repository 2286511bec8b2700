import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetdeckClient } from '../../shared/client.js';
import { startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.js';
import { clientFor, refusal } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';

const workDir = tempDir('fleetdeck-no-rce-');
/** Created by the code an attacker tries to run: its absence proves that nothing ran. */
const marker = join(workDir, 'pwned');
/** Created by the one command the config allows with these words, so a run is seen when one happens. */
const allowedMarker = join(workDir, 'allowed-ran');
const writeMarker = (path: string) => `require('node:fs').writeFileSync(${JSON.stringify(path)}, 'ran')`;

/** What a caller wants a node to run or read when it can only send values. */
const attack = {
  script: (command: string) => ({ name: 'probe', type: 'script' as const, command, intervalMs: 1000, timeoutMs: 900 }),
  exec: (command: string, args: string[] = []) => ({ type: 'exec', payload: { command, args } }),
};

/**
 * Issue 9 and the architecture's rule: no API call, fleet value or task payload makes an agent run a command or read
 * a file that its local config does not name. Every attempt is refused with the field named, and the marker file the
 * attacker's code would write never appears.
 */
describe('no remote code execution', () => {
  let agent: AgentProcess;
  let client: FleetdeckClient;

  beforeAll(async () => {
    agent = await startAgentProcess({
      config: {
        commands: {
          // A command that takes no arguments: an exec payload must not be able to hand it `-e <code>`.
          node: { argv: [process.execPath, '--version'] },
          'write-allowed': { argv: [process.execPath, '-e', writeMarker(allowedMarker)] },
        },
        files: { readDirs: [join(workDir, 'certs')] },
        logFiles: { app: join(workDir, 'app.log') },
        services: [{ id: 'web', name: 'Web', tags: ['web'] }],
      },
    });
    client = clientFor(agent.url);
  }, 30_000);

  afterAll(async () => {
    await agent?.stop('SIGKILL');
  });

  it('runs a command its config names, so the marker would show a run', async () => {
    const { id } = await client.call('tasks.submit', attack.exec('write-allowed'));
    await waitFor(
      'the allowed exec task to succeed',
      async () => (await client.call('tasks.get', { id })).state === 'succeeded',
    );
    expect(existsSync(allowedMarker)).toBe(true);
  });

  it('refuses script checks and supervised commands the config does not define, through the API', async () => {
    const script = await refusal(
      client.call('services.upsert', { service: { id: 'evil', name: 'Evil', checks: [attack.script('sh')] } }),
    );
    expect(script).toMatchObject({ code: 'invalid_request', issues: [{ path: 'checks.0.command' }] });
    const supervised = await refusal(
      client.call('services.upsert', { service: { id: 'evil', name: 'Evil', supervise: { command: 'sh' } } }),
    );
    expect(supervised).toMatchObject({ code: 'invalid_request', issues: [{ path: 'supervise.command' }] });
    // A command line where a name belongs is not even a name.
    const line = await refusal(
      client.call('services.upsert', {
        service: { id: 'evil', name: 'Evil', checks: [attack.script(`node -e "${writeMarker(marker)}"`)] },
      }),
    );
    expect(line).toMatchObject({ code: 'invalid_request', issues: [{ path: 'service.checks.0.command' }] });
    const imported = await refusal(
      client.call('services.import', {
        yaml: `- id: evil\n  name: Evil\n  checks:\n    - {name: p, type: script, command: sh}\n`,
      }),
    );
    expect(imported).toMatchObject({ code: 'invalid_request', issues: [{ path: 'checks.0.command' }] });
    expect((await client.call('services.list', {})).map((s) => s.definition.id)).toEqual(['web']);
  });

  it('refuses fleet services and check templates whose commands the config does not define, where applied', async () => {
    await client.call('fleet.services.put', {
      service: { id: 'fleet-evil', name: 'Evil', checks: [attack.script('sh')], supervise: { command: 'sh' } },
    });
    await client.call('fleet.checkTemplates.put', {
      value: { id: 'evil-template', serviceTags: ['web'], check: attack.script('sh') },
    });
    const errors = await waitFor('both fleet values reported as not applied', async () => {
      const [self] = await client.call('cluster.members', {});
      const found = self?.summary?.configErrors ?? [];
      return found.length === 2 ? found : undefined;
    });
    expect(errors.map(({ kind, id }) => `${kind}/${id}`).sort()).toEqual([
      'check-templates/evil-template',
      'services/fleet-evil',
    ]);
    const notDefined = `command "sh" is not defined in this node's config`;
    expect(errors.find((e) => e.kind === 'services')?.error).toBe(
      `service "fleet-evil" refers to commands this node does not define; checks.0.command: ${notDefined}; ` +
        `supervise.command: ${notDefined}`,
    );
    expect(errors.find((e) => e.kind === 'check-templates')?.error).toBe(
      `template "evil-template" cannot be applied here; check.command: ${notDefined}`,
    );
    const [web] = await client.call('services.list', {});
    expect(web?.checks).toEqual([]);
  });

  it('refuses exec tasks with a command the config does not define, or arguments it does not allow', async () => {
    for (const task of [
      attack.exec('sh', ['-c', `touch ${marker}`]),
      attack.exec('node', ['-e', writeMarker(marker)]),
      attack.exec(`${process.execPath} -e "${writeMarker(marker)}"`),
    ]) {
      const error = await refusal(client.call('tasks.submit', task));
      expect(error.code, JSON.stringify(task)).toBe('invalid_request');
      expect(error.issues?.[0]?.path, JSON.stringify(task)).toMatch(/^payload\.(command|args)/);
    }
    const batch = await refusal(
      client.call('tasks.submitBatch', {
        tasks: [attack.exec('write-allowed'), attack.exec('node', ['-e', writeMarker(marker)])],
      }),
    );
    expect(batch.code).toBe('invalid_request');
  });

  it('refuses an http task to a file: URL', async () => {
    const error = await refusal(client.call('tasks.submit', { type: 'http', payload: { url: 'file:///etc/passwd' } }));
    expect(error).toMatchObject({
      code: 'invalid_request',
      issues: [{ path: 'payload.url', message: 'must be an http:// or https:// URL' }],
    });
  });

  it('refuses a caFile outside files.readDirs and log sources named by path', async () => {
    const ca = await refusal(
      client.call('services.upsert', {
        service: {
          id: 'evil',
          name: 'Evil',
          checks: [{ name: 't', type: 'http', url: 'https://x/', caFile: '/etc/passwd' }],
        },
      }),
    );
    expect(ca).toMatchObject({
      code: 'invalid_request',
      message: 'caFile /etc/passwd is outside the directories this node allows (files.readDirs)',
    });
    const byPath = await refusal(
      client.call('fleet.logPatterns.put', {
        value: { id: 'shadow', name: 'Shadow', regex: 'root', sources: ['/etc/shadow'] },
      }),
    );
    expect(byPath).toMatchObject({ code: 'invalid_request', issues: [{ path: 'value.sources.0' }] });
    const sources = await client.call('logs.sources', {});
    expect(sources.map((source) => source.name).sort()).toEqual(['app']);
  });

  it('ran nothing it was asked to by a value: the marker is absent, and the agent lives', async () => {
    expect(existsSync(marker)).toBe(false);
    expect((await fetch(`${agent.url}/health/live`)).status).toBe(200);
  });
});
