import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetKeys } from '../../electron/cluster/fleet-keys.js';
import { freePort } from '../../electron/core/free-port.js';
import { fleetRuleKeys } from '../../electron/fleet-rules/fleet-rule-keys.js';
import { WebhookBody } from '../../shared/alert-notice.js';
import { FleetAlertRecord } from '../../shared/fleet-alerts.js';
import { startAgentFleet, type AgentFleet } from '../support/agent-fleet.js';
import { tempDir } from '../support/agent-process.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { waitFor } from '../support/poll.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const CLUSTER = 'fleet-rules';
const ids = ['n1', 'n2', 'n3'] as const;
type NodeId = (typeof ids)[number];
type Labels = Record<string, string>;

/** Where each node's `probe` command looks: the file there makes it fail (exit 2: critical). */
const flagDir = tempDir('fleet-rules-flags-');
const flagOf = (id: NodeId) => join(flagDir, id);
const failsIfFlagged = "process.exit(require('node:fs').existsSync(process.argv[1]) ? 2 : 0)";

/** Every node runs service `web` (tag web) and defines `probe` its own way: failing while its flag file exists. */
const configOf = (id: NodeId) => ({
  resources: { intervalMs: 500 },
  commands: { probe: { argv: [process.execPath, '-e', failsIfFlagged, flagOf(id)] } },
  services: [{ id: 'web', name: 'Web', tags: ['web'], checks: [] }],
});

const poll = { timeoutMs: 30_000, intervalMs: 100 };

/**
 * Fleet rules on a real etcd with three agent processes and a webhook receiver on loopback: a check template run
 * from every node is judged as one quorum check; a node killed with SIGKILL raises exactly one "member down" for the
 * fleet (one notification), a node stopped gracefully raises none, and the killed node coming back resolves it.
 */
describe('fleet rules on etcd (3 agent processes, kill -9)', () => {
  let etcd: EtcdCluster;
  let raw: Etcd3;
  let receiver: WebhookReceiver;
  let fleet: AgentFleet<NodeId>;
  const kv = fleetKeys(CLUSTER).kv;
  const live = () => fleet.live();
  const client = () => fleet.client();

  /** The fleet alerts in the backend now (a resolved one is cleared once told). */
  const records = async (about: (labels: Labels) => boolean) =>
    Object.values(await raw.getAll().prefix(`${kv}${fleetRuleKeys.records}`).strings())
      .map((value) => FleetAlertRecord.parse(JSON.parse(value)))
      .filter((record) => about(record.alert.labels));
  /** The fleet alerts told to the receiver as `transition`, one notice per transition. */
  const told = (transition: string, about: (labels: Labels) => boolean) =>
    receiver.posts
      .map((post) => WebhookBody.parse(JSON.parse(post.body)))
      .filter((body) => body.alert.node === 'fleet' && body.transition === transition && about(body.alert.labels));
  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    raw = new Etcd3({ hosts: etcd.endpoints });
    receiver = await new WebhookReceiver(await freePort()).start();
    fleet = await startAgentFleet({ etcd, cluster: CLUSTER, ids, configOf });
    // No grace on top of the lease: the test waits for the lease (3 s), not for the default 30 s.
    await client().call('fleet.fleetRules.put', {
      value: { id: 'member-down', name: 'Member down', type: 'member-down', severity: 'critical', graceSeconds: 0 },
    });
    await client().call('fleet.fleetRules.put', {
      value: {
        id: 'web-quorum',
        name: 'Web from everywhere',
        type: 'quorum-check',
        severity: 'critical',
        templateId: 'web-probe',
        quorum: 2,
        partialSeverity: 'warning',
        // A probe timing out once on a busy machine is no outage.
        forSeconds: 2,
      },
    });
    await client().call('fleet.checkTemplates.put', {
      value: {
        id: 'web-probe',
        serviceTags: ['web'],
        check: { name: 'probe', type: 'script', command: 'probe', intervalMs: 1000, timeoutMs: 900 },
      },
    });
    await client().call('fleet.channels.put', {
      value: {
        id: 'hook',
        name: 'Receiver',
        type: 'webhook',
        minSeverity: 'info',
        enabled: true,
        settings: { url: receiver.url },
      },
    });
    await waitFor(
      'the rules and the channel in force, every node seeing every node',
      async () => {
        const answers = await Promise.all(
          live().map(async ([, n]) => ({
            rules: await n.client.call('fleet.fleetRules.list', {}),
            channels: await n.client.call('fleet.channels.list', {}),
            members: await n.client.call('cluster.members', {}),
          })),
        );
        return answers.every((a) => a.rules.length === 2 && a.channels.length === 1 && a.members.length === ids.length);
      },
      poll,
    );
  }, 60_000);

  afterAll(async () => {
    await fleet?.stopAll();
    raw?.close();
    await receiver?.stop();
    await etcd?.stop();
    rmSync(flagDir, { recursive: true, force: true });
  });

  it('judges a check template run from every node as one quorum check: partial outage on 1 of 3, down on 2', async () => {
    const outage = (kind: string) => (labels: Labels) => labels['outage'] === kind;
    await waitFor(
      'every summary to show the template passing',
      async () =>
        (await client().call('cluster.members', {})).every((m) => m.summary?.templates?.['web-probe'] === 'passing'),
      poll,
    );
    expect(await records((labels) => labels['template'] === 'web-probe')).toEqual([]);

    writeFileSync(flagOf('n1'), '');
    const [partial] = await waitFor(
      'a partial outage',
      async () => {
        const found = await records(outage('partial'));
        return found.length > 0 && found;
      },
      poll,
    );
    expect(partial!.alert).toMatchObject({ node: 'fleet', severity: 'warning', state: 'firing' });
    expect(partial!.alert.summary).toBe('partial outage: web-probe critical on 1 of 3 nodes (quorum 2)');

    writeFileSync(flagOf('n2'), '');
    const [down] = await waitFor(
      'the check down at the quorum',
      async () => {
        const found = await records(outage('down'));
        return found.length > 0 && found;
      },
      poll,
    );
    expect(down!.alert).toMatchObject({ severity: 'critical', state: 'firing' });
    expect(down!.alert.summary).toBe('down: web-probe critical on 2 of 3 nodes (quorum 2)');

    for (const id of ['n1', 'n2'] as const) rmSync(flagOf(id));
    // A told resolved alert is cleared from the backend: the receiver has the whole story.
    await waitFor('the outage told resolved', () => told('resolved', outage('down')).length > 0, poll);
    // Told once for the fleet, whichever nodes saw it: never once per node.
    expect(told('firing', outage('down')).map((body) => body.alert.id)).toEqual([down!.alert.id]);
    expect(told('resolved', outage('down')).map((body) => body.alert.id)).toEqual([down!.alert.id]);
    expect(existsSync(flagOf('n1'))).toBe(false);
  }, 90_000);

  it('raises one "member down" for a node killed with SIGKILL, none for one stopped gracefully', async () => {
    const leader = await fleet.leaderId(30_000);
    const [stopped, killed] = ids.filter((id) => id !== leader) as [NodeId, NodeId];
    const about = (id: NodeId) => (labels: Labels) => labels['member'] === id;
    expect(await fleet.stop(stopped, 'SIGTERM')).toBe(0);
    await fleet.stop(killed, 'SIGKILL');

    const [raised] = await waitFor(
      'a "member down" for the killed node',
      async () => {
        const found = await records(about(killed));
        return found.length > 0 && found;
      },
      poll,
    );
    expect(raised!.alert).toMatchObject({
      node: 'fleet',
      ruleId: 'member-down',
      severity: 'critical',
      state: 'firing',
    });
    expect(raised!.events.map((e) => e.transition)).toEqual(['firing']);
    await waitFor('the "member down" at the receiver', () => told('firing', about(killed)).length > 0, poll);

    await fleet.restart(killed);
    await waitFor(
      'the killed node back and its alert told resolved',
      () => told('resolved', about(killed)).length > 0,
      poll,
    );
    expect(told('firing', about(killed)).map((body) => body.alert.id)).toEqual([raised!.alert.id]);
    expect(told('resolved', about(killed)).map((body) => body.alert.id)).toEqual([raised!.alert.id]);
    // The gracefully stopped node went first, so the leader had longer to take it for down: it did not.
    expect(told('firing', about(stopped))).toEqual([]);
    // Ids are never reused: the counter shows that no other fleet alert was raised meanwhile.
    const counter = (await raw.get(`${kv}${fleetRuleKeys.nextAlertId}`).json()) as { next: number };
    expect(counter.next).toBe(raised!.alert.localId + 1);
  }, 90_000);
});
