import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../electron/core/free-port.js';
import { WebhookBody } from '../../shared/alert-notice.js';
import { startAgentFleet, type AgentFleet } from '../support/agent-fleet.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { waitFor } from '../support/poll.js';
import { signatureValid, WebhookReceiver } from '../support/webhook-receiver.js';

const CLUSTER = 'alert-delivery';
const ids = ['n1', 'n2', 'n3'] as const;
type NodeId = (typeof ids)[number];
const SECRET = 'shared-hmac-secret';

/** A service whose health the test decides: 200 while `healthy`, else 500. */
class Target {
  healthy = true;
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    const server = createServer((_request, response) => response.writeHead(this.healthy ? 200 : 500).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    this.url = `http://127.0.0.1:${address.port}/health`;
    this.server = server;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** Only n1 runs the probed service and the rule that watches it, so exactly one alert exists in the fleet. */
const configOf = (id: NodeId, target: string) =>
  id === 'n1'
    ? {
        services: [
          {
            id: 'probe',
            name: 'Probe',
            checks: [{ name: 'health', type: 'http', url: target, intervalMs: 300, timeoutMs: 250 }],
          },
        ],
        alertRules: [
          {
            id: 'probe-down',
            name: 'Probe down',
            severity: 'critical',
            condition: { kind: 'check', serviceIds: ['probe'], status: 'critical' },
          },
        ],
      }
    : {};

/**
 * Alert notifications across a fleet on a real etcd: three agent processes, one alert on n1, a webhook receiver on
 * loopback. Each transition reaches the receiver once for the whole fleet, and a leader killed with SIGKILL while
 * the receiver is down leaves nothing undelivered: the next leader sends it, under the same delivery id.
 */
describe('fleet alert delivery on etcd (3 agent processes, kill -9)', () => {
  let etcd: EtcdCluster;
  let receiver: WebhookReceiver;
  const target = new Target();
  let fleet: AgentFleet<NodeId>;
  const client = () => fleet.client();

  /** The notices of the probe's alert the receiver got, parsed (the default rules may raise others). */
  const notices = () =>
    receiver.posts
      .map((post) => ({ post, body: WebhookBody.parse(JSON.parse(post.body)) }))
      .filter(({ body }) => body.alert.ruleId === 'probe-down');
  const told = (transition: string) => notices().filter(({ body }) => body.transition === transition);

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    receiver = await new WebhookReceiver(await freePort()).start();
    await target.start();
    fleet = await startAgentFleet({ etcd, cluster: CLUSTER, ids, configOf: (id) => configOf(id, target.url) });
    await client().call('fleet.channels.put', {
      value: {
        id: 'hook',
        name: 'Receiver',
        type: 'webhook',
        minSeverity: 'warning',
        enabled: true,
        settings: { url: receiver.url, secret: SECRET },
      },
    });
    // Every node has the channel before anything fires (the leader could be any of them).
    await waitFor(
      'the channel in force everywhere',
      async () => {
        const lists = await Promise.all(fleet.live().map(([, n]) => n.client.call('fleet.channels.list', {})));
        return lists.every((list) => list.some((entry) => entry.id === 'hook'));
      },
      { timeoutMs: 10_000 },
    );
  }, 60_000);

  afterAll(async () => {
    await fleet?.stopAll();
    await receiver?.stop();
    await target.stop();
    await etcd?.stop();
  });

  it('tells a firing and its resolved once for the whole fleet, signed', async () => {
    target.healthy = false;
    await waitFor('the firing at the receiver', () => told('firing').length > 0, { timeoutMs: 20_000 });
    // Every member lists the fleet's alerts, n1's included, as n1 published them.
    const seenFromN3 = await fleet.node('n3').client.call('alerts.list', { scope: 'fleet' });
    expect(seenFromN3.find((alert) => alert.ruleId === 'probe-down')).toMatchObject({
      node: 'n1',
      state: 'firing',
      severity: 'critical',
    });
    target.healthy = true;
    await waitFor('the resolved at the receiver', () => told('resolved').length > 0, { timeoutMs: 20_000 });
    // The leader clears a record once every event of it is told; a second sender, had there been one, would have
    // had this long to send too.
    await waitFor(
      'the fleet to clear the told alert',
      async () => {
        const all = await client().call('alerts.list', { scope: 'fleet', state: 'all' });
        return !all.some((alert) => alert.ruleId === 'probe-down');
      },
      { timeoutMs: 10_000 },
    );

    const [firing] = told('firing');
    const [resolved] = told('resolved');
    expect(told('firing')).toHaveLength(1);
    expect(told('resolved')).toHaveLength(1);
    expect(firing!.body.alert).toMatchObject({
      ruleId: 'probe-down',
      node: 'n1',
      severity: 'critical',
      state: 'firing',
    });
    expect(firing!.body.fleet).toBe(CLUSTER);
    expect(resolved!.body.alert.id).toBe(firing!.body.alert.id);
    expect(resolved!.body.alert.resolvedAt).not.toBeNull();
    expect(firing!.body.deliveryId).not.toBe(resolved!.body.deliveryId);
    for (const { post } of notices()) expect(signatureValid(post, SECRET)).toBe(true);
  });

  it('delivers what a killed leader could not: the next leader sends it when the receiver is back', async () => {
    receiver.posts.length = 0;
    await receiver.stop();
    target.healthy = false;
    const leader = await fleet.leaderId();
    // The leader has the firing in its outbox and has tried the receiver at least once.
    const pending = await waitFor(
      'a failed attempt on the leader',
      async () => {
        const deliveries = await fleet.node(leader).client.call('notifications.list', {});
        return deliveries.find((d) => d.notice.transition === 'firing' && d.state === 'pending' && d.attempts > 0);
      },
      { timeoutMs: 20_000 },
    );
    await fleet.stop(leader, 'SIGKILL');
    const next = await fleet.leaderId();
    expect(next).not.toBe(leader);
    await receiver.start();

    await waitFor('the firing delivered by the new leader', () => told('firing').length > 0, { timeoutMs: 30_000 });
    const deliveryIds = new Set(told('firing').map(({ body }) => body.deliveryId));
    expect([...deliveryIds]).toEqual([pending.deliveryId]);
    const delivered = await fleet.node(next).client.call('notifications.list', { state: 'sent' });
    expect(delivered.map((d) => d.deliveryId)).toContain([...deliveryIds][0]);
  });
});
