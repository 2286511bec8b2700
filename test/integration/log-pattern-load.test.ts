import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcCallError, type FleetdeckClient } from '../../shared/client.js';
import { startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { clientFor } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';
import { abLines, SLOW_REGEX } from '../support/slow-pattern.js';

const CLUSTER = 'logload';
const REPRO = '(a?){500}a{500}';
const REPRO_REFUSAL =
  'pattern too costly: program of 2502 instructions, limit 1200 — reduce repetition counts like {500}';

/** The member record's lease in etcd, or null when the member is not registered. */
async function memberLease(etcd: EtcdCluster, id: string): Promise<string | null> {
  const got = await etcd.etcdctl(['get', `fleetdeck/${CLUSTER}/members/${id}`, '-w', 'json']);
  const kvs = (JSON.parse(got.stdout) as { kvs?: Array<{ lease?: number | string }> }).kvs ?? [];
  return kvs[0]?.lease === undefined ? null : String(kvs[0].lease);
}

/**
 * The defect of issue 9: a pattern RE2 takes (linear time) can still cost seconds per batch, and matched on the event
 * loop it stalled `/health/live` and cost the agent its etcd lease. Here a real agent on a real etcd scans a busy
 * file with a costly-but-allowed pattern while the editor's "try it" runs slow ones too, and its API keeps answering.
 */
describe('log patterns under load (agent process on etcd)', () => {
  let etcd: EtcdCluster;
  let agent: AgentProcess;
  let client: FleetdeckClient;
  let logFile: string;

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    const dataDir = tempDir();
    logFile = join(dataDir, 'busy.log');
    writeFileSync(logFile, 'started\n');
    agent = await startAgentProcess({
      dataDir,
      args: [
        ...['--backend', 'etcd', '--etcd-endpoints', etcd.endpoints.join(','), '--cluster', CLUSTER],
        ...['--lease-ttl', '3', '--node-id', 'busy-node'],
      ],
      // A budget well under what the slow pattern takes on one batch (~6 lines of ~0.25 s each), so it is cut off on
      // a fast machine too.
      config: { logFiles: { busy: logFile }, logMatchBudgetMs: 500 },
    });
    client = clientFor(agent.url);
    await waitFor('the member record', () => memberLease(etcd, 'busy-node').catch(() => null), { timeoutMs: 10_000 });
  }, 60_000);

  afterAll(async () => {
    await agent?.stop('SIGKILL');
    await etcd?.stop();
  });

  it('keeps /health/live under 200 ms and its lease while costly patterns scan a busy file and are tried', async () => {
    const before = await memberLease(etcd, 'busy-node');
    await client.call('fleet.logPatterns.put', { value: { id: 'costly', name: 'Costly', regex: SLOW_REGEX } });
    await client.call('fleet.logPatterns.put', { value: { id: 'ends-b', name: 'Ends in b', regex: 'b$' } });
    await waitFor('both patterns in force', async () => (await client.call('logs.patterns.list', {})).length === 2);

    const busy = abLines(100);
    /** 1 MB a poll for the scanner, and the editor's "try it" with slow patterns at the same time. */
    const loadTheAgent = async () => {
      appendFileSync(logFile, `${busy.join('\n')}\n`);
      const tried = await Promise.all([
        client.call('logs.patterns.test', { regex: SLOW_REGEX, ignoreCase: false, lines: busy.slice(0, 95) }),
        client.call('logs.patterns.test', {
          regex: '(a?){200}a{200}',
          ignoreCase: false,
          lines: Array.from({ length: 95 }, () => 'a'.repeat(10_000)),
        }),
      ]);
      expect(tried[0]).toEqual({ ok: false, error: 'matching took over 0.5 s on these lines — simplify the regex' });
      expect(tried[1]).toMatchObject({
        ok: true,
        matches: expect.arrayContaining([expect.objectContaining({ index: 94, line: 'a'.repeat(10_000) })]),
      });

      await waitFor(
        'the costly pattern disabled and the other one through the busy lines',
        async () => {
          const states = await client.call('logs.patterns.list', {});
          const costly = states.find((state) => state.pattern.id === 'costly');
          const endsB = states.find((state) => state.pattern.id === 'ends-b');
          return (
            costly?.problem === 'disabled: matching took over 0.5 s on one batch' &&
            endsB?.matchesLastHour === busy.filter((line) => line.endsWith('b')).length
          );
        },
        { timeoutMs: 30_000 },
      );
    };
    /** Each probe's time in ms, or why it failed. */
    const probes: Array<number | string> = [];
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const started = performance.now();
        try {
          const response = await fetch(`${agent.url}/health/live`, { signal: AbortSignal.timeout(5000) });
          probes.push(response.ok ? performance.now() - started : `HTTP ${response.status}`);
        } catch (error) {
          probes.push(String(error));
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const probeStarted = performance.now();
    try {
      await loadTheAgent();
      // Two lease TTLs (3 s) at least under load.
      await waitFor('6 s of probing', () => performance.now() - probeStarted > 6000, { timeoutMs: 10_000 });
    } finally {
      probing = false;
      await probe;
    }

    expect(probes.length).toBeGreaterThan(6000 / 250);
    expect(probes.filter((probe) => typeof probe === 'string' || probe >= 200)).toEqual([]);
    expect((await client.call('cluster.members', {})).map((member) => member.id)).toEqual(['busy-node']);
    expect(await memberLease(etcd, 'busy-node')).toBe(before);
  }, 60_000);

  it('refuses the repro pattern at save, and when written straight into etcd, with the reason in its state', async () => {
    const saved = await client
      .call('fleet.logPatterns.put', { value: { id: 'repro', name: 'Repro', regex: REPRO } })
      .catch((error: unknown) => error);
    expect(saved).toBeInstanceOf(RpcCallError);
    expect((saved as RpcCallError).message).toContain(REPRO_REFUSAL);
    expect(await client.call('logs.patterns.test', { regex: REPRO, lines: [] })).toEqual({
      ok: false,
      error: REPRO_REFUSAL,
    });

    const value = JSON.stringify({ id: 'repro', name: 'Repro', regex: REPRO });
    const put = await etcd.etcdctl(['put', `fleetdeck/${CLUSTER}/kv/config/log-patterns/repro`, value]);
    expect(put.code).toBe(0);
    const state = await waitFor('the refusal in the pattern state', async () =>
      (await client.call('logs.patterns.list', {})).find((entry) => entry.pattern.id === 'repro'),
    );
    expect(state).toMatchObject({ source: 'fleet', problem: `refused: ${REPRO_REFUSAL}` });
    const response = await fetch(`${agent.url}/health/live`, { signal: AbortSignal.timeout(1000) });
    expect(response.status).toBe(200);
  });
});
