import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcCallError, type FleetdeckClient } from '../../shared/client.js';
import type { AgentEvent } from '../../shared/events.js';
import type { ServiceState } from '../../shared/services.js';
import { startAgentProcess, type AgentProcess } from '../support/agent-process.js';
import { clientFor } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';
import { readEvents } from '../support/sse.js';

const node = process.execPath;
const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('health checks through the API (agent as a child process)', () => {
  let agent: AgentProcess;
  let client: FleetdeckClient;
  let web: Server;
  let webStatus = 200;
  let webUrl: string;

  const service = async (id: string): Promise<ServiceState | undefined> =>
    (await client.call('services.list', {})).find((s) => s.definition.id === id);
  const statusOf = async (id: string) => (await service(id))?.status;
  const refusal = async (call: Promise<unknown>) => {
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RpcCallError);
    return (error as RpcCallError).error;
  };

  beforeAll(async () => {
    web = createServer((_request, response) => response.writeHead(webStatus).end(`status ${webStatus}`));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}/health`;
    agent = await startAgentProcess({
      config: {
        commands: {
          'exit-warning': { argv: [node, '-e', "console.log('disk 91% full'); process.exit(1)"] },
          ticker: { argv: [node, '-e', "setInterval(() => console.log('tick'), 100)"] },
        },
        services: [
          {
            id: 'disk',
            name: 'Disk',
            checks: [{ name: 'free', type: 'script', command: 'exit-warning', intervalMs: 500, timeoutMs: 400 }],
          },
          { id: 'daemon', name: 'Daemon', supervise: { command: 'ticker' } },
        ],
      },
    });
    client = clientFor(agent.url);
  });
  afterAll(async () => {
    await agent?.stop('SIGKILL');
    web?.close();
  });

  it('runs config-file script checks by Consul exit-code rules', async () => {
    await waitFor('disk to warn', async () => (await statusOf('disk')) === 'warning');
    const disk = (await service('disk'))!;
    expect(disk.source).toBe('config');
    expect(disk.checks[0]!.lastResult).toMatchObject({
      status: 'warning',
      output: expect.stringContaining('disk 91% full'),
    });
  });

  it('applies an HTTP service added over the API at once, and follows the server going bad', async () => {
    const events = readEvents(`${agent.url}/events`);
    try {
      const added = await client.call('services.upsert', {
        service: {
          id: 'web',
          name: 'Web',
          checks: [{ name: 'health', type: 'http', url: webUrl, intervalMs: 300, timeoutMs: 250 }],
        },
      });
      expect(added).toMatchObject({ source: 'api', definition: { id: 'web' } });
      await waitFor('web passing', async () => (await statusOf('web')) === 'passing');

      webStatus = 500;
      await waitFor('web critical', async () => (await statusOf('web')) === 'critical');
      const changes = () =>
        (events.events as AgentEvent[]).flatMap((e) =>
          e.type === 'check.changed' && e.data.serviceId === 'web' ? [e.data.check.status] : [],
        );
      await waitFor('check.changed events', () => changes().join() === 'passing,critical');

      const now = await client.call('checks.runNow', { serviceId: 'web', check: 'health' });
      expect(now).toMatchObject({ status: 'critical', output: expect.stringMatching(/HTTP 500/) });
      const history = await client.call('checks.history', {
        serviceId: 'web',
        check: 'health',
        fromMs: Date.now() - 60_000,
        toMs: Date.now(),
      });
      expect(history.resolution).toBe('raw');
      expect(new Set(history.points.map((p) => p.status))).toEqual(new Set(['passing', 'critical']));
      const web = (await service('web'))!;
      expect(web.checks[0]!.uptime.day).toBeGreaterThan(0);
      expect(web.checks[0]!.uptime.day).toBeLessThan(1);
      expect(web.checks[0]!.uptime.since).toBe(history.points[0]!.at);
      expect(web.checks[0]!.recent).toBeUndefined();

      // The heartbeat strips' one call: each check's last results, oldest first, as many as asked.
      const listed = (await client.call('services.list', { recentResults: 2 })).find((s) => s.definition.id === 'web');
      const recent = listed!.checks[0]!.recent!;
      expect(recent).toHaveLength(2);
      expect(recent.map((r) => r.at)).toEqual(recent.map((r) => r.at).sort((a, b) => a - b));
      const many = (await client.call('services.list', { recentResults: 60 })).find((s) => s.definition.id === 'web');
      expect(many!.checks[0]!.recent).toContainEqual({ at: now.at, status: 'critical', latencyMs: now.latencyMs });
    } finally {
      events.close();
      webStatus = 200;
    }
  });

  it('turns a TTL check critical when its job stops reporting', async () => {
    await client.call('services.upsert', {
      service: {
        id: 'batch',
        name: 'Nightly batch',
        checks: [{ name: 'heartbeat', type: 'ttl', ttlMs: 1000, intervalMs: 500, timeoutMs: 100 }],
      },
    });
    await client.call('checks.report', {
      serviceId: 'batch',
      check: 'heartbeat',
      status: 'passing',
      output: 'done 42 rows',
    });
    expect(await statusOf('batch')).toBe('passing');
    await waitFor('batch critical after silence', async () => (await statusOf('batch')) === 'critical', {
      timeoutMs: 5000,
    });
    const reportOnHttp = await refusal(
      client.call('checks.report', { serviceId: 'web', check: 'health', status: 'passing' }),
    );
    expect(reportOnHttp).toMatchObject({ code: 'invalid_request', message: 'check "web/health" is not a TTL check' });
  });

  it('supervises a configured command, with its output in a log file', async () => {
    const daemon = await waitFor('daemon running', async () => {
      const s = await service('daemon');
      return s?.supervisor?.state === 'running' ? s : undefined;
    });
    expect(daemon.status).toBe('passing');
    const logFile = join(agent.dataDir, 'logs', 'daemon.log');
    expect(daemon.supervisor!.logFile).toBe(logFile);
    await waitFor('ticks in the log', () => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('tick'));
    expect(pidAlive(daemon.supervisor!.pid!)).toBe(true);
  });

  it('refuses bad definitions and changes to config services, naming the field', async () => {
    const badUrl = await refusal(
      client.call('services.upsert', {
        service: { id: 'x', name: 'X', checks: [{ name: 'c', type: 'http', url: 'ftp://nowhere' }] },
      }),
    );
    expect(badUrl.code).toBe('invalid_request');
    expect(badUrl.issues?.map((i) => i.path)).toContain('service.checks.0.url');

    const command = await refusal(
      client.call('services.upsert', {
        service: { id: 'x', name: 'X', checks: [{ name: 'c', type: 'script', command: 'format-disk' }] },
      }),
    );
    expect(command.issues).toEqual([
      { path: 'checks.0.command', message: `command "format-disk" is not defined in this node's config` },
    ]);
    expect(await refusal(client.call('services.remove', { id: 'disk' }))).toMatchObject({ code: 'conflict' });
    expect(await refusal(client.call('checks.runNow', { serviceId: 'nope', check: 'c' }))).toMatchObject({
      code: 'not_found',
    });
  });

  it('exports and imports services as YAML, and removes them', async () => {
    const { yaml } = await client.call('services.export', {});
    expect(yaml).toContain('id: web');
    expect(yaml).not.toContain('id: disk');
    expect(await client.call('services.remove', { id: 'web' })).toEqual({ removed: true });
    expect(await service('web')).toBeUndefined();
    expect(await client.call('services.import', { yaml })).toEqual({ imported: ['batch', 'web'] });
    await waitFor('web back and passing', async () => (await statusOf('web')) === 'passing');
  });

  it('exposes check metrics that promtool accepts', async () => {
    const body = await (await fetch(`${agent.url}/metrics`)).text();
    expect(body).toMatch(/^fleetdeck_check_state\{service="disk",check="free"\} 2$/m);
    expect(body).toMatch(/^fleetdeck_check_runs_total\{type="http",status="passing"\} \d+$/m);
    expect(body).toMatch(/^fleetdeck_check_duration_seconds_bucket\{le="0\.1",type="script"\} \d+$/m);
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    if (promtool.error) throw new Error(`promtool is missing (${promtool.error.message}): apt-get install prometheus`);
    expect(promtool.stderr + promtool.stdout).toBe('');
  });

  it('records resource history', async () => {
    const { points } = await client.call('node.resources', { fromMs: Date.now() - 60_000, toMs: Date.now() });
    expect(points.length).toBeGreaterThan(0);
    expect(points[0]!.memoryTotalBytes).toBeGreaterThan(0);
  });

  it('stops supervised processes when the agent stops', async () => {
    const pid = (await service('daemon'))!.supervisor!.pid!;
    expect(await agent.stop('SIGTERM')).toBe(0);
    expect(pidAlive(pid)).toBe(false);
  });
});
