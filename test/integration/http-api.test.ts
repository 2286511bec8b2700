import { describe, expect, it } from 'vitest';
import type { ResourceSample } from '../../shared/node.js';
import { openInProcessAgent } from '../support/in-process-agent.js';
import { waitFor } from '../support/poll.js';
import { readEvents } from '../support/sse.js';
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

describe('HTTP API in process', () => {
  it('is not ready (503) until the agent has started, then ready (200); streams end on shutdown', async () => {
    const { logger } = memoryLogger();
    let load = 10;
    const { agent, server } = await openInProcessAgent(
      { name: 'api-test', resources: { intervalMs: 200 } },
      { logger, probe: async () => sample((load += 1)) },
    );
    try {
      const before = await fetch(`${server.url}/health/ready`);
      expect(before.status).toBe(503);
      expect(await before.json()).toEqual({ status: 'not_ready', state: 'starting' });

      const stream = readEvents(`${server.url}/events`);
      await agent.start(server.url);
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
      await waitFor(
        'the ready event and a sample with the injected load',
        () =>
          stream.events.some((e) => JSON.stringify(e).includes('"state":"ready"')) &&
          stream.events.some((e) => JSON.stringify(e).includes('"loadPercent":11')),
      );

      const ui = await fetch(`${server.url}/`);
      expect(ui.status).toBe(404);
      expect(await ui.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /' } });

      await server.close();
      await stream.closed;
    } finally {
      await server.close();
      await agent.stop();
    }
  });
});
