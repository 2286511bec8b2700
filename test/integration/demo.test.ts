import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServiceState } from '../../shared/services.js';
import { startAgentProcess } from '../support/agent-process.js';
import { clientFor } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';

describe('fleetdeck demo', () => {
  it('comes alive with sample services whose checks change state within a minute, removable in one action', async () => {
    const demo = await startAgentProcess({ command: 'demo' });
    try {
      const client = clientFor(demo.url);
      const byId = async () =>
        new Map((await client.call('services.list', {})).map((s): [string, ServiceState] => [s.definition.id, s]));

      const services = await byId();
      expect([...services.keys()].sort()).toEqual([
        'demo-cache',
        'demo-flaky',
        'demo-inventory',
        'demo-slow-api',
        'demo-web',
        'demo-worker',
      ]);
      expect([...services.values()].every((s) => s.source === 'demo')).toBe(true);

      await waitFor(
        'healthy demo services passing (HTTP, TCP, gRPC) and the worker running',
        async () => {
          const now = await byId();
          return (
            ['demo-web', 'demo-cache', 'demo-inventory', 'demo-slow-api'].every(
              (id) => now.get(id)?.status === 'passing',
            ) && now.get('demo-worker')?.supervisor?.state === 'running'
          );
        },
        { timeoutMs: 20_000, intervalMs: 250 },
      );
      const slow = (await byId()).get('demo-slow-api')!.checks[0]!.lastResult!;
      expect(slow.latencyMs).toBeGreaterThan(500);

      await waitFor(
        'the flaky service to fail or flap',
        async () => ['critical', 'flapping'].includes((await byId()).get('demo-flaky')?.status ?? ''),
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      const logFile = join(demo.dataDir, 'logs', 'demo-worker.log');
      await waitFor(
        'the worker writing its log',
        () => existsSync(logFile) && /INFO/.test(readFileSync(logFile, 'utf8')),
      );

      expect(await client.call('services.removeDemo', {})).toEqual({ removed: 6 });
      expect(await client.call('services.list', {})).toEqual([]);
    } finally {
      expect(await demo.stop()).toBe(0);
    }

    const again = await startAgentProcess({ command: 'demo', dataDir: demo.dataDir });
    try {
      expect(await clientFor(again.url).call('services.list', {})).toEqual([]);
    } finally {
      await again.stop();
    }
  }, 90_000);
});
