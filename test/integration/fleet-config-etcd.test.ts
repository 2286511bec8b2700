import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcCallError, type FleetdeckClient } from '../../shared/client.js';
import { startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { clientFor } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';

interface Node {
  id: string;
  process: AgentProcess;
  client: FleetdeckClient;
  logFile: string;
}

/**
 * Log patterns, alert rules and check templates saved once in a console, stored under the fleet prefix in a
 * real etcd and applied live by agent processes; refused values leave the last good one in force and show up
 * in the console's member list; the last good values survive an agent restart while etcd is down.
 */
describe('fleet-wide log patterns, alert rules and check templates on etcd', () => {
  let etcd: EtcdCluster;
  const agents: Node[] = [];
  let console_: FleetdeckClient;
  let consoleProcess: AgentProcess;

  const agentArgs = (id: string) => [
    ...['--backend', 'etcd', '--etcd-endpoints', etcd.endpoints.join(','), '--cluster', 'cfg'],
    ...['--lease-ttl', '3', '--node-id', id],
  ];
  const agentConfig = (logFile: string, withProbe: boolean) => ({
    resources: { intervalMs: 500 },
    logFiles: { app: logFile },
    commands: withProbe ? { probe: { argv: [process.execPath, '-e', 'process.exit(0)'] } } : {},
    services: [{ id: 'nightly', name: 'Nightly batch', tags: ['batch'] }],
  });
  const startNode = async (id: string, withProbe: boolean, dataDir?: string, logFile?: string) => {
    const dir = dataDir ?? tempDir();
    const file = logFile ?? join(dir, 'app.log');
    if (!logFile) writeFileSync(file, 'started\n');
    const process = await startAgentProcess({
      args: agentArgs(id),
      config: agentConfig(file, withProbe),
      dataDir: dir,
    });
    return { id, process, client: clientFor(process.url), logFile: file };
  };

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    agents.push(await startNode('a1', true), await startNode('a2', false));
    consoleProcess = await startAgentProcess({ args: [...agentArgs('console'), '--role', 'console'] });
    console_ = clientFor(consoleProcess.url);
    await waitFor('three members', async () => (await console_.call('cluster.members', {})).length === 3, {
      timeoutMs: 10_000,
    });
  }, 60_000);

  afterAll(async () => {
    for (const node of agents) await node.process.stop('SIGKILL');
    await consoleProcess?.stop('SIGKILL');
    await etcd?.stop();
  });

  it('applies a log pattern saved in the console on every agent, which then finds matching lines', async () => {
    const pattern = { id: 'oom', name: 'Out of memory', regex: 'out of memory', ignoreCase: true, sources: ['app'] };
    await console_.call('fleet.logPatterns.put', { value: pattern });
    const stored = await etcd.etcdctl(['get', '--print-value-only', 'fleetdeck/cfg/kv/config/log-patterns/oom']);
    expect(JSON.parse(stored.stdout)).toMatchObject({ id: 'oom', regex: 'out of memory' });

    for (const node of agents) {
      await waitFor(`${node.id} applies the pattern`, async () =>
        (await node.client.call('logs.patterns.list', {})).some((p) => p.pattern.id === 'oom' && p.source === 'fleet'),
      );
      appendFileSync(node.logFile, `kernel: Out Of Memory: killed process 42 on ${node.id}\nall good\n`);
    }
    for (const node of agents) {
      const matches = await waitFor(`${node.id} matches the line`, async () => {
        const { matches } = await node.client.call('logs.matches', { patternId: 'oom' });
        return matches.length > 0 ? matches : undefined;
      });
      expect(matches.map((m) => m.line)).toEqual([`kernel: Out Of Memory: killed process 42 on ${node.id}`]);
      expect(matches[0]).toMatchObject({ source: 'app' });
    }
  });

  it('fires an alert rule saved in the console on every agent, and the console sees the counts', async () => {
    await console_.call('fleet.alertRules.put', {
      value: {
        id: 'oom-seen',
        name: 'Out of memory seen',
        severity: 'critical',
        condition: { kind: 'logPattern', patternId: 'oom', atLeast: 1, windowSeconds: 3600 },
      },
    });
    for (const node of agents) {
      const [alert] = await waitFor(`${node.id} fires the alert`, async () => {
        const open = await node.client.call('alerts.list', { state: 'open', ruleId: 'oom-seen' });
        return open.some((a) => a.state === 'firing') ? open : undefined;
      });
      expect(alert).toMatchObject({ ruleId: 'oom-seen', severity: 'critical', state: 'firing', value: 1 });
    }
    await waitFor('the console sees one critical alert on each agent', async () => {
      const members = await console_.call('cluster.members', {});
      return agents.every((a) => members.find((m) => m.id === a.id)?.summary?.openAlerts.critical === 1);
    });
  });

  it('adds a check template to tagged services, and a node without its command reports why', async () => {
    await console_.call('fleet.checkTemplates.put', {
      value: {
        id: 'batch-probe',
        serviceTags: ['batch'],
        check: { name: 'probe', type: 'script', command: 'probe', intervalMs: 500, timeoutMs: 400 },
      },
    });
    const [withProbe, withoutProbe] = agents as [Node, Node];
    await waitFor('the templated check passes on the node that has the command', async () => {
      const [service] = await withProbe.client.call('services.list', {});
      const check = service?.checks.find((c) => c.name === 'probe');
      return check?.template === 'batch-probe' && check.status === 'passing';
    });
    const errors = await waitFor('the console shows the refusal of the other node', async () => {
      const member = (await console_.call('cluster.members', {})).find((m) => m.id === withoutProbe.id);
      const found = member?.summary?.configErrors.filter((e) => e.kind === 'check-templates') ?? [];
      return found.length > 0 ? found : undefined;
    });
    expect(errors[0]).toMatchObject({ id: 'batch-probe' });
    expect(errors[0]!.error).toMatch(/command "probe" is not defined in this node's config/);
    const [service] = await withoutProbe.client.call('services.list', {});
    expect(service!.checks.map((c) => c.name)).not.toContain('probe');
  });

  it('keeps the last good pattern when a new version cannot be compiled, and reports it', async () => {
    // Valid for the schema, refused by RE2 (no backreferences). The console refuses it up front, naming the field…
    const bad = { id: 'oom', name: 'Out of memory', regex: String.raw`(out) of \1`, sources: ['app'] };
    const refusal = await console_.call('fleet.logPatterns.put', { value: bad }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RpcCallError);
    expect((refusal as RpcCallError).error.issues).toEqual([
      { path: 'value.regex', message: expect.stringMatching(/^a back-reference \(`\\1`.* is not supported/) },
    ]);
    // …but another tool (or an older console) can still write it straight into etcd: the agents must cope.
    const put = await etcd.etcdctl(['put', 'fleetdeck/cfg/kv/config/log-patterns/oom', JSON.stringify(bad)]);
    expect(put.code).toBe(0);
    await waitFor('both agents report the refused pattern to the console', async () => {
      const members = await console_.call('cluster.members', {});
      return agents.every((a) =>
        members
          .find((m) => m.id === a.id)
          ?.summary?.configErrors.some((e) => e.kind === 'log-patterns' && e.id === 'oom' && /regex/.test(e.error)),
      );
    });
    for (const node of agents) {
      const [state] = (await node.client.call('logs.patterns.list', {})).filter((p) => p.pattern.id === 'oom');
      expect(state?.pattern.regex).toBe('out of memory');
    }
    appendFileSync(agents[0]!.logFile, 'OUT OF MEMORY again\n');
    await waitFor('the last good pattern still matches', async () => {
      const { matches } = await agents[0]!.client.call('logs.matches', { patternId: 'oom' });
      return matches.some((m) => m.line === 'OUT OF MEMORY again');
    });
  });

  it('keeps the last good fleet config across a restart while etcd is down', async () => {
    const node = agents[0]!;
    await node.process.stop('SIGTERM');
    await etcd.stopAll();
    try {
      node.process = (await startNode(node.id, true, node.process.dataDir, node.logFile)).process;
      node.client = clientFor(node.process.url);
      const patterns = await node.client.call('logs.patterns.list', {});
      expect(patterns.find((p) => p.pattern.id === 'oom')).toMatchObject({
        source: 'fleet',
        pattern: { regex: 'out of memory' },
      });
      const rules = await node.client.call('alerts.rules.list', {});
      expect(rules.map((r) => r.rule.id)).toContain('oom-seen');
      const [service] = await node.client.call('services.list', {});
      expect(service!.checks.find((c) => c.name === 'probe')?.template).toBe('batch-probe');
      expect(await node.client.call('cluster.status', {})).toMatchObject({ backend: 'etcd' });
      expect((await node.client.call('cluster.status', {})).state).not.toBe('connected');
    } finally {
      await etcd.startAll();
    }
    await waitFor('the restarted agent rejoins', async () =>
      (await console_.call('cluster.members', {})).some((m) => m.id === node.id),
    );
  });

  it('withdraws values removed in the console from every agent', async () => {
    await console_.call('fleet.logPatterns.remove', { id: 'oom' });
    await console_.call('fleet.checkTemplates.remove', { id: 'batch-probe' });
    for (const node of agents) {
      await waitFor(`${node.id} drops the pattern and the templated check`, async () => {
        const patterns = await node.client.call('logs.patterns.list', {});
        const [service] = await node.client.call('services.list', {});
        return !patterns.some((p) => p.pattern.id === 'oom') && !service!.checks.some((c) => c.name === 'probe');
      });
    }
    await waitFor('the refusals are gone from the console', async () => {
      const members = await console_.call('cluster.members', {});
      return members.every((m) => (m.summary?.configErrors ?? []).every((e) => e.kind === 'alert-rules'));
    });
  });
});
