import type { Etcd3, Lease } from 'etcd3';
import { fleetKeys } from '../../electron/cluster/fleet-keys.js';
import { MemberRecord } from '../../shared/node.js';
import type { CheckStatus } from '../../shared/services.js';
import { startAgentProcess, type AgentProcess } from './agent-process.js';
import { nodeSummary } from './node-summary.js';

/** A deterministic pseudo-random sequence (mulberry32), so every run builds the same fleet. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const zones = ['eu-1', 'eu-2', 'us-1', 'us-2', 'ap-1'];
const tiers = ['web', 'api', 'db', 'batch'];
const healthOf = (roll: number): CheckStatus =>
  roll < 0.8 ? 'passing' : roll < 0.88 ? 'warning' : roll < 0.93 ? 'critical' : roll < 0.95 ? 'flapping' : 'unknown';

const alertsOf = (roll: number) => ({
  info: roll < 0.2 ? 1 : 0,
  warning: roll < 0.1 ? 2 : 0,
  critical: roll < 0.04 ? 1 : 0,
  emergency: roll < 0.01 ? 1 : 0,
});

/**
 * `count` member records as agents would publish them (`bench-00042`, named `db-0042`, zone and tier labels, a
 * summary with mixed health and usage), the same for the same count; each passes the schema the console parses with.
 */
export function memberRecords(count: number, now = Date.now()): MemberRecord[] {
  const next = seededRandom(count);
  return Array.from({ length: count }, (_, i) => {
    const health = healthOf(next());
    const services = 1 + Math.floor(next() * 8);
    const tier = tiers[i % tiers.length]!;
    return MemberRecord.parse({
      id: `bench-${String(i).padStart(5, '0')}`,
      name: `${tier}-${String(i).padStart(4, '0')}`,
      role: i % 40 === 0 ? 'console' : 'agent',
      labels: { zone: zones[i % zones.length]!, tier },
      version: '0.1.0',
      apiUrl: `http://10.${Math.floor(i / 250)}.${i % 250}.1:7420`,
      startedAt: now - Math.floor(next() * 86_400_000),
      summary: nodeSummary(now, {
        health,
        services,
        checks: { passing: services, warning: 0, critical: 0, flapping: 0, unknown: 0, [health]: 1 },
        cpuPercent: Math.round(next() * 1000) / 10,
        memoryPercent: Math.round(next() * 1000) / 10,
        diskPercent: Math.round(next() * 1000) / 10,
        openAlerts: alertsOf(next()),
        tasks: { running: i % 5 === 0 ? 1 + (i % 7) : 0, waiting: i % 10 === 0 ? 10 + (i % 90) : 0 },
        configErrors:
          i % 100 === 7 ? [{ kind: 'services', id: 'needs-command', error: 'command "x" is not defined here' }] : [],
      }),
      publishedAt: now,
    });
  });
}

/**
 * Writes the records into fleet `cluster` on a real etcd, all bound to one lease (as each agent binds its own), 200
 * at a time. Revoke the lease to take them all out again.
 */
export async function putMemberRecords(
  client: Etcd3,
  cluster: string,
  records: readonly MemberRecord[],
): Promise<Lease> {
  const keys = fleetKeys(cluster);
  const lease = client.lease(120, { autoKeepAlive: true });
  await lease.grant();
  for (let i = 0; i < records.length; i += 200) {
    await Promise.all(
      records.slice(i, i + 200).map((record) => lease.put(keys.member(record.id)).value(JSON.stringify(record)).exec()),
    );
  }
  return lease;
}

/** A console agent on fleet `cluster` of a real etcd, seeded with `size` member records; stop() takes it all out. */
export interface SeededConsole {
  agent: AgentProcess;
  /** The records plus the console itself. */
  members: number;
  stop(): Promise<void>;
}

/** Seeds `size` records (`memberRecords`) into fleet `cluster` and starts a console agent watching them. */
export async function startSeededConsole(
  client: Etcd3,
  endpoint: string,
  cluster: string,
  size: number,
): Promise<SeededConsole> {
  const lease = await putMemberRecords(client, cluster, memberRecords(size));
  const agent = await startAgentProcess({
    args: ['--backend', 'etcd', '--etcd-endpoints', endpoint, '--cluster', cluster, '--role', 'console'],
    env: { FLEETDECK_LOG_LEVEL: 'warn' },
    readyTimeoutMs: 30_000,
  });
  return {
    agent,
    members: size + 1,
    async stop() {
      await agent.stop();
      await lease.revoke();
      await client.delete().prefix(fleetKeys(cluster).root).exec();
    },
  };
}
