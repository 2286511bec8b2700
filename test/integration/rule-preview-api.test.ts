import { describe, expect, it } from 'vitest';
import { RpcCallError } from '../../shared/client.js';
import type { ResourceSample } from '../../shared/node.js';
import { clientFor } from '../support/http-client.js';
import { openInProcessAgent } from '../support/in-process-agent.js';
import { waitFor } from '../support/poll.js';
import { memoryLogger } from '../support/test-logger.js';

const sample = (loadPercent: number): ResourceSample => ({
  sampledAt: Date.now(),
  cpu: { loadPercent, cores: 4 },
  memory: { usedBytes: 1, totalBytes: 2 },
  disk: { mount: '/', usedBytes: 3, totalBytes: 4 },
  load: { avg1: 0.5, avg5: 0.25, avg15: 0.125 },
  network: { rxBytesPerSec: 100, txBytesPerSec: 50 },
  disks: [{ mount: '/', fs: '/dev/sda1', usedBytes: 3, totalBytes: 4 }],
});

describe('alerts.rules.preview over HTTP', () => {
  it("replays a drafted rule on the agent's stored samples, and refuses a malformed one naming the field", async () => {
    const { logger } = memoryLogger();
    const { agent, server } = await openInProcessAgent(
      { name: 'preview', resources: { intervalMs: 200 } },
      { logger, probe: async () => sample(95) },
    );
    try {
      await agent.start(server.url);
      const client = clientFor(server.url);
      const rule = { id: 'hot', name: 'Hot', signal: { kind: 'resource', metric: 'cpu' }, threshold: 90 };
      const preview = await waitFor('a few stored samples', async () => {
        const answer = await client.call('alerts.rules.preview', { rule });
        return answer.series.length >= 3 ? answer : undefined;
      });
      expect(preview.unavailable).toBeNull();
      expect(preview.series.every((point) => point.value === 95)).toBe(true);
      expect(preview.intervals).toEqual([{ state: 'firing', from: preview.series[0]!.at, to: null }]);

      const refused = await client
        .call('alerts.rules.preview', { rule: { ...rule, clearThreshold: 99 } })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(RpcCallError);
      expect((refused as RpcCallError).error.issues).toContainEqual({
        path: 'rule.clearThreshold',
        message: 'must be at most the threshold',
      });
    } finally {
      await server.close();
      await agent.stop();
    }
  });
});
