import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAlertRules, defaultRulesSeededKey } from '../../electron/alerts/default-rules.js';
import type { FleetdeckClient } from '../../shared/client.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { clientFor } from '../support/http-client.js';
import { openInProcessAgent, type InProcessAgent } from '../support/in-process-agent.js';
import { waitFor } from '../support/poll.js';
import { memoryLogger } from '../support/test-logger.js';

const defaultIds = defaultAlertRules()
  .map((rule) => rule.id)
  .sort();

/** The six default rules are written once per fleet however many agents start at once, and a deleted one stays deleted. */
describe('default alert rules on a real etcd', () => {
  let etcd: EtcdCluster;
  const running: InProcessAgent[] = [];

  const seedLines = new Map<string, Array<Record<string, unknown>>>();
  const startAgent = async (nodeId: string) => {
    const { logger, lines } = memoryLogger();
    seedLines.set(nodeId, lines);
    const opened = await openInProcessAgent(
      { name: nodeId, nodeId, cluster: 'seed', backend: { kind: 'etcd', endpoints: etcd.endpoints } },
      { logger },
    );
    running.push(opened);
    await opened.agent.start(opened.server.url);
    return clientFor(opened.server.url);
  };
  const fleetRuleIds = async (client: FleetdeckClient) =>
    (await client.call('fleet.alertRules.list', {})).map((entry) => entry.id).sort();
  const inForce = async (client: FleetdeckClient) =>
    (await client.call('alerts.rules.list', {}))
      .filter((state) => state.source === 'fleet')
      .map((state) => state.rule.id)
      .sort();

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
  }, 60_000);

  afterAll(async () => {
    for (const { agent, server } of running.splice(0)) {
      await server.close();
      await agent.stop();
    }
    await etcd?.stop();
  });

  it('two agents starting together write the six once; both apply them; one deleted does not come back', async () => {
    const [a, b] = await Promise.all([startAgent('seed-a'), startAgent('seed-b')]);
    await waitFor('the defaults in force on both agents', async () => {
      const [onA, onB] = await Promise.all([inForce(a), inForce(b)]);
      return onA.length === 6 && onB.length === 6;
    });
    expect(await fleetRuleIds(a)).toEqual(defaultIds);
    expect(await inForce(b)).toEqual(defaultIds);
    const marker = await etcd.etcdctl(['get', '--print-value-only', `fleetdeck/seed/kv/${defaultRulesSeededKey}`]);
    expect(marker.stdout.trim()).toBe('{}');
    // Each default was written in one transaction: a second writer would have bumped its revision.
    const revisions = await etcd.etcdctl(['get', '--prefix', '-w', 'json', 'fleetdeck/seed/kv/config/alert-rules/']);
    const kvs = (JSON.parse(revisions.stdout) as { kvs: Array<{ version: number }> }).kvs;
    expect(kvs.map((kv) => kv.version)).toEqual([1, 1, 1, 1, 1, 1]);

    await a.call('fleet.alertRules.remove', { id: 'default-cpu-high' });
    const c = await startAgent('seed-c');
    await waitFor('the third agent applies the fleet rules and finds the defaults saved before', async () => {
      const settled = seedLines.get('seed-c')!.some((line) => line.msg === 'default alert rules were saved before');
      return settled && (await inForce(c)).length === 5;
    });
    const wrote = [...seedLines.values()]
      .flat()
      .filter((line) => line.msg === 'default alert rules saved for the fleet');
    expect(wrote).toHaveLength(1);
    expect(await fleetRuleIds(c)).toEqual(defaultIds.filter((id) => id !== 'default-cpu-high'));
  }, 60_000);
});
