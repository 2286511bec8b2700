import { afterEach, describe, expect, it } from 'vitest';
import { fleetKeys } from '../../electron/cluster/fleet-keys.js';
import { LocalBackend } from '../../electron/cluster/local/local-backend.js';
import { LocalCoordinator } from '../../electron/cluster/local/local-coordinator.js';
import { systemClock } from '../../electron/core/clock.js';
import { FleetdeckClient } from '../../shared/client.js';
import type { AgentConfigInput } from '../../shared/config.js';
import type { RpcOutcome } from '../../shared/rpc.js';
import { openInProcessAgent, type InProcessAgent } from '../support/in-process-agent.js';
import { waitFor } from '../support/poll.js';
import { memoryLogger } from '../support/test-logger.js';

/**
 * Several real agents (SQLite, health checks, HTTP API) in one process, coordinating through one shared
 * embedded coordinator — the fleet logic without etcd. The etcd suites run the same paths across processes.
 */
describe('a fleet of agents', () => {
  const coordinator = new LocalCoordinator(systemClock);
  const running: InProcessAgent[] = [];
  afterEach(async () => {
    for (const { agent, server } of running.splice(0)) {
      await server.close();
      await agent.stop();
    }
  });

  const startNode = async (id: string, extra: Partial<AgentConfigInput> = {}) => {
    const { logger } = memoryLogger();
    const backend = new LocalBackend({
      coordinator,
      ownsCoordinator: false,
      cluster: 'fleet',
      clock: systemClock,
      logger,
    });
    const { agent, server } = await openInProcessAgent(
      { nodeId: id, name: `Node ${id}`, leaseTtlSeconds: 2, resources: { intervalMs: 300 }, ...extra },
      { logger, backend },
    );
    await agent.start(server.url);
    running.push({ agent, server });
    const client = new FleetdeckClient({
      call: (method, params): Promise<RpcOutcome> =>
        agent.dispatcher.call(method, params, { transport: 'http', remote: '127.0.0.1' }),
      subscribe: () => () => {},
    });
    return { agent, server, client };
  };

  it('converges on one member list with one leader, summaries and leader-computed facts', async () => {
    const nodes = [
      await startNode('a'),
      await startNode('b'),
      await startNode('c', { role: 'console', campaign: false }),
    ];
    for (const { client } of nodes) {
      await waitFor('three members with summaries', async () => {
        const members = await client.call('cluster.members', {});
        return members.length === 3 && members.every((m) => m.summary?.cpuPercent != null);
      });
    }
    const leaders = (await nodes[2]!.client.call('cluster.members', {})).filter((m) => m.leader).map((m) => m.id);
    expect(leaders).toEqual(['a']);
    expect(await nodes[1]!.client.call('cluster.leader', {})).toMatchObject({ id: 'a' });
    const status = await waitFor('facts from the leader', async () => {
      const s = await nodes[2]!.client.call('cluster.status', {});
      return s.facts?.membersUp === 3 ? s : undefined;
    });
    expect(status).toMatchObject({
      backend: 'local',
      state: 'connected',
      leaderClaims: ['a'],
      facts: { leaderId: 'a' },
    });

    // The leader leaves gracefully: b takes over at once, and a is not down (it left on purpose).
    const a = running.shift()!;
    await a.server.close();
    await a.agent.stop();
    await waitFor('b leads', async () => (await nodes[1]!.client.call('cluster.leader', {}))?.id === 'b');
    const facts = await waitFor('facts from the new leader', async () => {
      const s = await nodes[2]!.client.call('cluster.status', {});
      return s.facts?.leaderId === 'b' && s.facts.membersUp === 2 ? s.facts : undefined;
    });
    expect(facts.membersDown).toEqual([]);
  });

  it('applies a fleet service on every agent, and reports where it cannot be applied', async () => {
    const withCommand = { commands: { probe: { argv: [process.execPath, '-e', 'process.exit(0)'] } } };
    const [a, b] = [await startNode('a', withCommand), await startNode('b')];
    await a.client.call('fleet.services.put', {
      service: {
        id: 'probe',
        name: 'Probe',
        checks: [{ name: 'run', type: 'script', command: 'probe', intervalMs: 300, timeoutMs: 250 }],
      },
    });
    await waitFor('a runs the fleet service', async () => {
      const service = (await a.client.call('services.list', {})).find((s) => s.definition.id === 'probe');
      return service?.source === 'fleet' && service.status === 'passing';
    });
    // b has no "probe" command: it keeps what it had (nothing) and says why, fleet-wide.
    const reported = await waitFor('b reports it cannot apply it', async () => {
      const members = await a.client.call('cluster.members', {});
      return members.find((m) => m.id === 'b')?.summary?.configErrors.find((e) => e.id === 'probe');
    });
    expect(reported).toMatchObject({
      kind: 'services',
      error: expect.stringContaining('command "probe" is not defined'),
    });
    expect((await b.client.call('services.list', {})).some((s) => s.definition.id === 'probe')).toBe(false);

    // A malformed value written by another tool: a keeps its last good copy and reports the problem.
    coordinator.put(`${fleetKeys('fleet').kv}config/services/probe`, '{"id":"probe","name":');
    await waitFor('a reports the malformed value', async () => {
      const members = await b.client.call('cluster.members', {});
      return members.find((m) => m.id === 'a')?.summary?.configErrors.some((e) => e.error.startsWith('invalid'));
    });
    expect((await a.client.call('services.list', {})).find((s) => s.definition.id === 'probe')?.source).toBe('fleet');
    expect(await a.client.call('fleet.services.list', {})).toEqual([
      { id: 'probe', service: null, problem: expect.any(String) },
    ]);

    await a.client.call('fleet.services.remove', { id: 'probe' });
    await waitFor('gone everywhere', async () =>
      (await a.client.call('services.list', {})).every((s) => s.definition.id !== 'probe'),
    );
    expect(await a.client.call('services.remove', { id: 'nope' })).toEqual({ removed: false });
  });

  it('drills down into another member through its API address', async () => {
    const [a] = [await startNode('a'), await startNode('b')];
    await waitFor('two members', async () => (await a.client.call('cluster.members', {})).length === 2);
    const remote = (await a.client.call('cluster.call', { memberId: 'b', method: 'node.status', params: {} })) as {
      id: string;
    };
    expect(remote.id).toBe('b');
    await expect(a.client.call('cluster.call', { memberId: 'zz', method: 'node.status' })).rejects.toThrow(
      'no member "zz" in the fleet',
    );
    await expect(a.client.call('cluster.call', { memberId: 'b', method: 'node.explode' })).rejects.toThrow(
      'b: unknown method "node.explode"',
    );
  });
});
