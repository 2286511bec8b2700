import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store, databaseFileName } from '../../electron/store/store.js';
import { AgentEvent } from '../../shared/events.js';
import { repoRoot, startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.js';
import { clientFor } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';
import { readEvents } from '../support/sse.js';

const runCli = (args: string[]) =>
  spawnSync(process.execPath, [join(repoRoot, 'bin/fleetdeck.js'), ...args], { encoding: 'utf8', timeout: 20_000 });

describe('headless agent (child process)', () => {
  let agent: AgentProcess;
  let readyMs: number;

  beforeAll(async () => {
    const started = Date.now();
    agent = await startAgentProcess({
      command: 'agent',
      config: { resources: { intervalMs: 300 }, labels: { rack: 'r1' } },
    });
    readyMs = Date.now() - started;
  });
  afterAll(async () => {
    await agent?.stop('SIGKILL');
  });

  it('is ready within 5 s and says so on /health/live and /health/ready', async () => {
    expect(readyMs).toBeLessThan(5000);
    const live = await fetch(`${agent.url}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${agent.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', state: 'ready' });
  });

  it('answers node.status and cluster.members over RPC', async () => {
    const client = clientFor(agent.url);
    const status = await waitFor('a first resource sample', async () => {
      const s = await client.call('node.status', {});
      return s.resources ? s : undefined;
    });
    expect(status).toMatchObject({ role: 'agent', leader: true, labels: { rack: 'r1' } });
    expect(status.id).toMatch(/^node-[0-9a-f]{8}$/);
    expect(status.resources!.cpu.cores).toBeGreaterThan(0);
    expect(status.resources!.memory.totalBytes).toBeGreaterThan(status.resources!.memory.usedBytes);
    expect(status.resources!.disk.totalBytes).toBeGreaterThan(0);
    const { load, network, disks } = status.resources!;
    for (const figure of [load.avg1, load.avg5, load.avg15, network.rxBytesPerSec, network.txBytesPerSec]) {
      expect(figure).toBeGreaterThanOrEqual(0);
    }
    // Every real filesystem, sorted by mount (the data dir's may be missing from them: /tmp can be a tmpfs).
    expect(disks.length).toBeGreaterThan(0);
    expect(disks.map((d) => d.mount)).toEqual(disks.map((d) => d.mount).sort());
    for (const d of disks) expect(d.totalBytes).toBeGreaterThan(0);

    const { points } = await client.call('node.resources', { fromMs: Date.now() - 60_000, toMs: Date.now() });
    expect(points.at(-1)).toMatchObject({
      load1: expect.any(Number),
      networkRxBytesPerSec: expect.any(Number),
      networkTxBytesPerSec: expect.any(Number),
    });

    const members = await client.call('cluster.members', {});
    expect(members).toEqual([
      expect.objectContaining({
        id: status.id,
        role: 'agent',
        apiUrl: agent.url,
        leader: true,
        lastSeen: expect.any(Number),
      }),
    ]);
  });

  it('streams the current state and then live samples on /events', async () => {
    const stream = readEvents(`${agent.url}/events`);
    try {
      const samples = () =>
        stream.events
          .map((e) => AgentEvent.parse(e))
          .flatMap((e) => (e.type === 'node.status' && e.data.resources ? [e.data.resources.sampledAt] : []));
      await waitFor('two distinct samples', () => new Set(samples()).size >= 2, { timeoutMs: 5000 });
      const types = stream.events.slice(0, 3).map((e) => (e as AgentEvent).type);
      expect(types).toEqual(['agent.state', 'node.status', 'cluster.members']);
      expect(stream.events[0]).toEqual({ type: 'agent.state', data: { state: 'ready' } });
    } finally {
      stream.close();
    }
  });

  it('serves Prometheus metrics that promtool accepts', async () => {
    const response = await fetch(`${agent.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await response.text();
    expect(body).toMatch(/^fleetdeck_agent_ready 1$/m);
    expect(body).toMatch(/^fleetdeck_cluster_leader 1$/m);
    expect(body).toMatch(/^fleetdeck_rpc_requests_total\{method="node.status",code="ok"\} \d+$/m);
    expect(body).toMatch(/^fleetdeck_node_cpu_load_percent [\d.e+-]+$/m);
    for (const name of [
      'load1',
      'load5',
      'load15',
      'network_receive_bytes_per_second',
      'network_transmit_bytes_per_second',
    ]) {
      expect(body).toMatch(new RegExp(`^fleetdeck_node_${name} [\\d.e+-]+$`, 'm'));
    }
    expect(body).toMatch(/^fleetdeck_node_filesystem_used_bytes\{mount="[^"]+"\} [\d.e+-]+$/m);
    expect(body).toMatch(/^fleetdeck_node_filesystem_size_bytes\{mount="[^"]+"\} [\d.e+-]+$/m);
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    if (promtool.error) throw new Error(`promtool is missing (${promtool.error.message}): apt-get install prometheus`);
    expect(promtool.stderr + promtool.stdout).toBe('');
    expect(promtool.status).toBe(0);
  });

  it('answers bad requests with 400/404 bodies naming the problem', async () => {
    const post = (method: string, body: string, type = 'application/json') =>
      fetch(`${agent.url}/rpc/${method}`, { method: 'POST', headers: { 'content-type': type }, body });

    const invalid = await post('node.status', '{"verbose":1}');
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({
      error: {
        code: 'invalid_request',
        message: 'invalid params for node.status',
        issues: [{ path: '(root)', message: 'Unrecognized key: "verbose"' }],
      },
    });
    const notJson = await post('node.status', '{oops');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({
      error: { code: 'invalid_request', message: expect.stringMatching(/JSON/) },
    });
    const unknown = await post('node.explode', '{}');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: { code: 'unknown_method', message: 'unknown method "node.explode"' },
    });
  });

  it('refuses requests for another Host or from another Origin', async () => {
    const port = new URL(agent.url).port;
    const curl = (header: string) =>
      execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', header, `${agent.url}/health/live`], {
        encoding: 'utf8',
      });
    expect(curl(`Host: attacker.example:${port}`)).toBe('403');
    expect(curl('Origin: http://attacker.example')).toBe('403');
    expect(curl(`Origin: http://localhost:${port}`)).toBe('200');
  });
});

describe('headless agent lifecycle', () => {
  it('shuts down cleanly on SIGTERM, keeps its identity and its database reopens', async () => {
    const first = await startAgentProcess();
    const { id } = await clientFor(first.url).call('node.status', {});
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.stderr.some((line) => line.includes('"msg":"agent stopped"'))).toBe(true);

    const store = Store.open(first.dataDir, { now: Date.now() });
    expect(store.runs.latest()).toMatchObject({ nodeId: id, stoppedAt: expect.any(Number) });
    store.close();

    const second = await startAgentProcess({ dataDir: first.dataDir });
    try {
      expect((await clientFor(second.url).call('node.status', {})).id).toBe(id);
      expect(second.stderr.some((line) => line.includes('did not stop cleanly'))).toBe(false);
    } finally {
      expect(await second.stop('SIGINT')).toBe(0);
    }
  });

  it('notices a crash: the next start reports the previous run did not stop cleanly', async () => {
    const crashed = await startAgentProcess();
    await crashed.stop('SIGKILL');
    const next = await startAgentProcess({ dataDir: crashed.dataDir });
    await next.stop();
    expect(next.stderr.some((line) => line.includes('the previous run did not stop cleanly'))).toBe(true);
  });

  it('exits with status 2 and a one-line reason for an invalid flag or config', () => {
    const badPort = runCli(['agent', '--port', '99999', '--data-dir', tempDir()]);
    expect(badPort.status).toBe(2);
    expect(badPort.stderr.trim()).toMatch(/^fleetdeck: invalid config: api\.port: .*\(from flags\)$/);

    const dir = tempDir();
    writeFileSync(join(dir, 'bad.yaml'), 'role: boss\n');
    const badFile = runCli(['agent', '--config', join(dir, 'bad.yaml'), '--data-dir', dir]);
    expect(badFile.status).toBe(2);
    expect(badFile.stderr.trim().split('\n')).toHaveLength(1);
    expect(badFile.stderr).toMatch(/role: .*bad\.yaml/);

    const badEnv = spawnSync(process.execPath, [join(repoRoot, 'bin/fleetdeck.js'), 'agent'], {
      encoding: 'utf8',
      env: { ...process.env, FLEETDECK_PORT: 'http', FLEETDECK_DATA_DIR: tempDir() },
    });
    expect(badEnv.status).toBe(2);
    expect(badEnv.stderr).toMatch(/api\.port: expected an integer, got "http" \(from --port or FLEETDECK_PORT\)/);
  });

  it('refuses to start on a database from a newer Fleetdeck, leaving it as it was', async () => {
    const dir = tempDir();
    Store.open(dir, { now: Date.now() }).close();
    const db = new Database(join(dir, databaseFileName));
    db.prepare(`INSERT INTO schema_migrations VALUES (42, 'future', 1)`).run();
    db.close();
    const result = runCli(['agent', '--data-dir', dir, '--port', '0']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/schema version 42 is newer than this Fleetdeck knows/);
  });
});
