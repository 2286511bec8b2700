import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoAlertRules, demoLogPatterns } from '../../electron/demo/demo-rules.js';
import type { FleetdeckClient } from '../../shared/client.js';
import type { ServiceState } from '../../shared/services.js';
import { startAgentProcess } from '../support/agent-process.js';
import { clientFor } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';

const demoRuleIds = demoAlertRules().map((rule) => rule.id);
const demoPatternIds = demoLogPatterns().map((pattern) => pattern.id);
const isDemoRule = (id: string) => demoRuleIds.includes(id);
const isDemoPattern = (id: string) => demoPatternIds.includes(id);

/** The demo rules and patterns the node knows of (saved for the fleet, or in force), and their open alerts. */
async function demoLeft(client: FleetdeckClient) {
  const [fleetRules, fleetPatterns, rules, patterns, open] = await Promise.all([
    client.call('fleet.alertRules.list', {}),
    client.call('fleet.logPatterns.list', {}),
    client.call('alerts.rules.list', {}),
    client.call('logs.patterns.list', {}),
    client.call('alerts.list', { state: 'open' }),
  ]);
  return {
    config: [
      ...fleetRules.filter((entry) => isDemoRule(entry.id)).map((entry) => `saved rule ${entry.id}`),
      ...fleetPatterns.filter((entry) => isDemoPattern(entry.id)).map((entry) => `saved pattern ${entry.id}`),
      ...rules.filter((state) => isDemoRule(state.rule.id)).map((s) => `${s.source} rule in force ${s.rule.id}`),
      ...patterns
        .filter((state) => isDemoPattern(state.pattern.id))
        .map((s) => `${s.source} pattern in force ${s.pattern.id}`),
    ].sort(),
    alerts: open.filter((alert) => isDemoRule(alert.ruleId)).map((alert) => `${alert.state} ${alert.ruleId}`),
  };
}

/** What the demo saves for the fleet, and this node then has in force. */
const seeded = [
  ...demoRuleIds.flatMap((id) => [`saved rule ${id}`, `fleet rule in force ${id}`]),
  ...demoPatternIds.flatMap((id) => [`saved pattern ${id}`, `fleet pattern in force ${id}`]),
].sort();

describe('fleetdeck demo', () => {
  it('runs mostly healthy sample services, one degraded and one with an outage now and then, removable with its rules and patterns', async () => {
    const demo = await startAgentProcess({ command: 'demo' });
    try {
      const client = clientFor(demo.url);
      const byId = async () =>
        new Map((await client.call('services.list', {})).map((s): [string, ServiceState] => [s.definition.id, s]));
      const status = async (id: string) => (await byId()).get(id)?.status;

      const services = await byId();
      expect([...services.keys()].sort()).toEqual([
        'demo-cache',
        'demo-inventory',
        'demo-payments',
        'demo-queue',
        'demo-slow-api',
        'demo-web',
        'demo-worker',
      ]);
      expect([...services.values()].every((s) => s.source === 'demo')).toBe(true);
      expect((await client.call('node.status', {})).labels).toEqual({ zone: 'eu-west-1a', tier: 'web' });

      await waitFor(
        'healthy demo services passing (HTTP, TCP, gRPC), the queue degraded and the worker running',
        async () => {
          const now = await byId();
          return (
            ['demo-web', 'demo-cache', 'demo-inventory', 'demo-slow-api', 'demo-payments'].every(
              (id) => now.get(id)?.status === 'passing',
            ) &&
            now.get('demo-queue')?.status === 'warning' &&
            now.get('demo-worker')?.supervisor?.state === 'running'
          );
        },
        { timeoutMs: 20_000, intervalMs: 250 },
      );
      const slow = (await byId()).get('demo-slow-api')!.checks[0]!.lastResult!;
      expect(slow.latencyMs).toBeGreaterThan(500);
      expect((await byId()).get('demo-queue')!.checks[0]!.lastResult!.output).toMatch(
        /^1\d{3} jobs waiting \(warning above 1000\)$/,
      );

      // The demo's rules and patterns are fleet values, editable and removable like any.
      await waitFor(
        'the demo rules and patterns saved for the fleet and in force',
        async () => JSON.stringify((await demoLeft(client)).config) === JSON.stringify(seeded),
      );

      await waitFor('the payment gateway outage', async () => (await status('demo-payments')) === 'critical', {
        timeoutMs: 60_000,
        intervalMs: 250,
      });
      await waitFor(
        'the outage to fire the payments alert',
        async () => (await demoLeft(client)).alerts.includes('firing demo-payments-down'),
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      const logFile = join(demo.dataDir, 'logs', 'demo-worker.log');
      await waitFor(
        'the worker writing its log',
        () => existsSync(logFile) && /INFO/.test(readFileSync(logFile, 'utf8')),
      );

      expect(await client.call('services.removeDemo', {})).toEqual({ removed: 7 });
      expect(await client.call('services.list', {})).toEqual([]);
      await waitFor('no demo rule, pattern or alert left', async () => {
        const left = await demoLeft(client);
        return left.config.length === 0 && left.alerts.length === 0;
      });
      const history = await client.call('alerts.list', { state: 'all' });
      expect(history.find((alert) => alert.ruleId === 'demo-payments-down')).toMatchObject({
        state: 'resolved',
        summary: 'rule withdrawn from the fleet',
        firingValue: 1,
      });
    } finally {
      expect(await demo.stop()).toBe(0);
    }

    const again = await startAgentProcess({ command: 'demo', dataDir: demo.dataDir });
    try {
      const client = clientFor(again.url);
      expect(await client.call('services.list', {})).toEqual([]);
      expect(await demoLeft(client)).toEqual({ config: [], alerts: [] });
    } finally {
      await again.stop();
    }
  }, 150_000);
});
