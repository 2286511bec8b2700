import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent } from '../../electron/agent/run-agent.js';
import { freePort } from '../../electron/core/free-port.js';
import { AgentConfig } from '../../shared/config.js';
import type { AgentEvent } from '../../shared/events.js';
import { startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { clientFor, refusal } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';
import { readEvents } from '../support/sse.js';
import { memoryLogger } from '../support/test-logger.js';

/** Calls made in this process, as the Electron shell makes them. */
const inProcess = { transport: 'ipc', remote: null } as const;

/** The member ids registered in etcd under the default fleet, read with etcdctl (not through the agent). */
async function registeredInEtcd(etcd: EtcdCluster): Promise<string[]> {
  const listed = await etcd.etcdctl(['get', '--prefix', '--keys-only', 'fleetdeck/default/members/']);
  return listed.stdout
    .split('\n')
    .filter(Boolean)
    .map((key) => key.slice('fleetdeck/default/members/'.length));
}

describe('Settings: saving a coordination backend (agent process, real etcd)', () => {
  let etcd: EtcdCluster;
  const processes: AgentProcess[] = [];
  const start = async (options: Parameters<typeof startAgentProcess>[0] = {}) => {
    const started = await startAgentProcess(options);
    processes.push(started);
    return started;
  };
  let dataDir: string;
  let nodeId: string;

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    dataDir = tempDir();
  }, 60_000);

  afterAll(async () => {
    for (const agent of processes) await agent.stop('SIGKILL');
    await etcd?.stop();
  });

  it('switches a running local agent to etcd in place: same process and URL, events keep flowing', async () => {
    const agent = await start({ dataDir });
    const client = clientFor(agent.url);
    nodeId = (await client.call('node.status', {})).id;
    expect(await client.call('cluster.settings', {})).toEqual({
      backend: { kind: 'local' },
      pinnedBy: null,
      savedFile: join(dataDir, 'backend.json'),
      saved: false,
    });
    const stream = readEvents(`${agent.url}/events`);
    try {
      await waitFor('the stream to start', () => stream.events.length > 0);

      const result = await client.call('cluster.configure', {
        backend: { kind: 'etcd', endpoints: etcd.endpoints },
      });
      expect(result).toEqual({ applied: true, backend: 'etcd', savedFile: join(dataDir, 'backend.json') });

      await waitFor('the agent to be connected to etcd', async () => {
        const status = await client.call('cluster.status', {});
        return status.backend === 'etcd' && status.state === 'connected';
      });
      await waitFor('the agent to be registered in etcd', async () => (await registeredInEtcd(etcd)).includes(nodeId));
      await waitFor('the agent to list itself among the etcd members', async () =>
        (await client.call('cluster.members', {})).some((member) => member.id === nodeId),
      );
      expect((await client.call('node.status', {})).id).toBe(nodeId);
      expect(agent.child.exitCode).toBeNull();
      expect((await fetch(`${agent.url}/health/ready`)).status).toBe(200);

      // The stream opened on the local agent hears the new one: restarting, then etcd's status, then ready.
      await waitFor('etcd status on the old stream', () =>
        (stream.events as AgentEvent[]).some(
          (event) =>
            event.type === 'cluster.status' && event.data.backend === 'etcd' && event.data.state === 'connected',
        ),
      );
      const states = (stream.events as AgentEvent[]).flatMap((event) =>
        event.type === 'agent.state' ? [event.data.state] : [],
      );
      expect(states.slice(-2)).toEqual(['starting', 'ready']);

      expect(JSON.parse(readFileSync(join(dataDir, 'backend.json'), 'utf8'))).toEqual({
        kind: 'etcd',
        endpoints: etcd.endpoints,
        dialTimeoutMs: 3000,
      });
      expect(await client.call('cluster.settings', {})).toMatchObject({ backend: { kind: 'etcd' }, saved: true });
    } finally {
      stream.close();
    }
  });

  it('refuses a backend it cannot build: the running one and the saved file stay', async () => {
    const client = clientFor(processes[0]!.url);
    const before = readFileSync(join(dataDir, 'backend.json'), 'utf8');
    const error = await refusal(
      client.call('cluster.configure', {
        backend: { kind: 'etcd', endpoints: etcd.endpoints, tls: { caFile: join(dataDir, 'missing-ca.pem') } },
      }),
    );
    expect(error.code).toBe('invalid_request');
    expect(error.issues).toEqual([
      { path: 'backend.tls.caFile', message: expect.stringMatching(/cannot read .*missing-ca\.pem/) },
    ]);
    const invalid = await refusal(client.call('cluster.configure', { backend: { kind: 'etcd', endpoints: [] } }));
    expect(invalid.code).toBe('invalid_request');
    expect(readFileSync(join(dataDir, 'backend.json'), 'utf8')).toBe(before);
    expect(await client.call('cluster.status', {})).toMatchObject({ backend: 'etcd', state: 'connected' });
  });

  it('comes back on the saved backend after a process restart', async () => {
    expect(await processes[0]!.stop('SIGTERM')).toBe(0);
    await waitFor('the stopped agent to leave etcd', async () => !(await registeredInEtcd(etcd)).includes(nodeId));

    const again = await start({ dataDir });
    const client = clientFor(again.url);
    expect((await client.call('node.status', {})).id).toBe(nodeId);
    await waitFor('the restarted agent to be connected to etcd', async () => {
      const status = await client.call('cluster.status', {});
      return status.backend === 'etcd' && status.state === 'connected';
    });
    await waitFor('the restarted agent to be registered', async () => (await registeredInEtcd(etcd)).includes(nodeId));
    expect(await client.call('cluster.settings', {})).toMatchObject({ backend: { kind: 'etcd' }, saved: true });

    // And back to local the same way.
    await client.call('cluster.configure', { backend: { kind: 'local' } });
    expect(await client.call('cluster.status', {})).toMatchObject({ backend: 'local' });
    await waitFor('the agent to leave etcd', async () => !(await registeredInEtcd(etcd)).includes(nodeId));
  });

  it('refuses (conflict) to change a backend pinned by a flag or an environment variable', async () => {
    const byFlag = await start({ args: ['--backend', 'local'] });
    const flagClient = clientFor(byFlag.url);
    expect(await flagClient.call('cluster.settings', {})).toMatchObject({ pinnedBy: '--backend' });
    const flagError = await refusal(
      flagClient.call('cluster.configure', { backend: { kind: 'etcd', endpoints: etcd.endpoints } }),
    );
    expect(flagError.code).toBe('conflict');
    expect(flagError.message).toContain('--backend');
    expect(existsSync(join(byFlag.dataDir, 'backend.json'))).toBe(false);

    const byEnv = await start({ env: { FLEETDECK_BACKEND: 'etcd', FLEETDECK_ETCD_ENDPOINTS: etcd.endpoints[0]! } });
    const envError = await refusal(clientFor(byEnv.url).call('cluster.configure', { backend: { kind: 'local' } }));
    expect(envError).toMatchObject({ code: 'conflict', message: expect.stringContaining('FLEETDECK_BACKEND') });
    const response = await fetch(`${byEnv.url}/rpc/cluster.configure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ backend: { kind: 'local' } }),
    });
    expect(response.status).toBe(409);
    expect(await clientFor(byEnv.url).call('cluster.status', {})).toMatchObject({ backend: 'etcd' });
  });

  it('in process: configure calls run one at a time, subscribers and calls follow each new agent', async () => {
    const { logger, lines } = memoryLogger();
    const running = await runAgent(
      AgentConfig.parse({ name: 'in-process', dataDir: tempDir(), api: { port: 0 }, leaseTtlSeconds: 3 }),
      { logger, rendererDir: null },
    );
    const events: AgentEvent[] = [];
    const unsubscribe = running.subscribe((event) => events.push(event));
    try {
      const unreachable = `http://127.0.0.1:${await freePort()}`;
      const calls = [
        running.call('cluster.configure', { backend: { kind: 'etcd', endpoints: etcd.endpoints } }, inProcess),
        running.call(
          'cluster.configure',
          { backend: { kind: 'etcd', endpoints: [unreachable], dialTimeoutMs: 500 } },
          inProcess,
        ),
        running.call('node.status', {}, inProcess),
        running.call('cluster.configure', { backend: { kind: 'local' } }, inProcess),
      ];
      const outcomes = await Promise.all(calls);
      expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true, true, true]);

      // One switch after the other: each saves, stops the agent and starts the next before the following begins.
      const steps = lines
        .map((line) => String(line.msg))
        .filter((msg) => /^(backend saved from Settings|agent stopped|agent ready)/.test(msg))
        .map((msg) => msg.split(';')[0]);
      expect(steps).toEqual([
        'agent ready',
        ...Array(3).fill(['backend saved from Settings', 'agent stopped', 'agent ready']).flat(),
      ]);
      expect(
        lines.filter((line) => line.msg === 'backend saved from Settings; restarting the agent').map((l) => l.backend),
      ).toEqual(['etcd', 'etcd', 'local']);
      const states = events.flatMap((event) => (event.type === 'agent.state' ? [event.data.state] : []));
      expect(states).toEqual(['starting', 'ready', 'starting', 'ready', 'starting', 'ready']);
      // The unreachable etcd did not stop the agent from starting; it reported the backend as not connected.
      expect(
        events.some(
          (event) =>
            event.type === 'cluster.status' && event.data.backend === 'etcd' && event.data.state !== 'connected',
        ),
      ).toBe(true);
      const status = await running.call('cluster.status', {}, inProcess);
      expect(status).toMatchObject({ ok: true, result: { backend: 'local', state: 'connected' } });
      expect(running.agent.state).toBe('ready');
    } finally {
      unsubscribe();
      await running.stop();
    }
    expect(running.agent.state).toBe('stopped');
    const refused = await running.call('cluster.configure', { backend: { kind: 'local' } }, inProcess);
    expect(refused).toMatchObject({ ok: false });
  });
});
