import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent, type RunningAgent } from '../../electron/agent/run-agent.js';
import { freePort } from '../../electron/core/free-port.js';
import { WebhookBody } from '../../shared/alert-notice.js';
import type { FleetdeckClient } from '../../shared/client.js';
import { AgentConfig } from '../../shared/config.js';
import { tempDir } from '../support/agent-process.js';
import { clientFor } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';
import { memoryLogger } from '../support/test-logger.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/** Both rules judge the TTL check of `gate`, which the test reports critical and then passing. */
const gateCritical = { kind: 'checkStatus', serviceIds: ['gate'], status: 'critical' } as const;
const poll = { timeoutMs: 20_000, intervalMs: 200 };

describe('alert history on a real agent: a pending alert that never fired leaves none', () => {
  let running: RunningAgent;
  let client: FleetdeckClient;
  let receiver: WebhookReceiver;

  const report = (status: 'critical' | 'passing') =>
    client.call('checks.report', { serviceId: 'gate', check: 'done', status, output: status });
  /** The fleet's default rules run too (a busy CPU, the check error rate): only the gate's rules count here. */
  const ofGate = <T extends { ruleId: string }>(alerts: T[]) => alerts.filter((a) => a.ruleId.startsWith('gate-'));
  const open = async () =>
    ofGate(await client.call('alerts.list', { state: 'open' })).map((a) => `${a.ruleId} ${a.state}`);
  const told = () => ofGate(receiver.posts.map((post) => WebhookBody.parse(JSON.parse(post.body)).alert));

  beforeAll(async () => {
    receiver = await new WebhookReceiver(await freePort()).start();
    running = await runAgent(
      AgentConfig.parse({
        name: 'history-test',
        dataDir: tempDir(),
        api: { host: '127.0.0.1', port: 0 },
        services: [{ id: 'gate', name: 'Gate', checks: [{ name: 'done', type: 'ttl', ttlMs: 600_000 }] }],
        alertRules: [
          { id: 'gate-down', name: 'Gate down', severity: 'critical', signal: gateCritical, threshold: 0 },
          // Waits an hour before it fires: within this test it stays pending.
          {
            id: 'gate-down-long',
            name: 'Gate down for an hour',
            severity: 'critical',
            signal: gateCritical,
            threshold: 0,
            forSeconds: 3600,
          },
        ],
      }),
      { logger: memoryLogger().logger, rendererDir: null },
    );
    client = clientFor(running.url);
    await client.call('fleet.channels.put', {
      value: { id: 'hook', name: 'Receiver', type: 'webhook', minSeverity: 'info', settings: { url: receiver.url } },
    });
  }, 30_000);

  afterAll(async () => {
    await running?.stop();
    await receiver?.stop();
  });

  it('drops the pending alert when its condition clears; the fired one resolves keeping the value that fired it', async () => {
    await report('critical');
    await waitFor(
      'one alert firing and one pending',
      async () => (await open()).sort().join() === 'gate-down firing,gate-down-long pending',
      poll,
    );
    await waitFor('the firing told', () => told().length === 1, poll);

    await report('passing');
    await waitFor('no alert open', async () => (await open()).length === 0, poll);
    await waitFor('the resolution told', () => told().length === 2, poll);

    const history = ofGate(await client.call('alerts.list', { state: 'all' }));
    expect(history.map((a) => [a.ruleId, a.state, a.firingValue, a.value])).toEqual([['gate-down', 'resolved', 1, 0]]);
    // The leader told of the alert that fired, and nothing of the one that was only pending.
    expect(told().map((alert) => `${alert.ruleId} ${alert.state}`)).toEqual(['gate-down firing', 'gate-down resolved']);
  });
});
