import { afterEach, describe, expect, it } from 'vitest';
import { startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.js';
import { clientFor } from '../support/http-client.js';

/** On the embedded backend the "fleet" is this node: values saved for it must outlive a restart as in etcd. */
describe('fleet-wide values on the local backend', () => {
  let agent: AgentProcess | null = null;
  afterEach(async () => {
    await agent?.stop('SIGKILL');
    agent = null;
  });

  it('keeps saved log patterns, alert rules and check templates across a restart', async () => {
    const dataDir = tempDir();
    const config = { services: [{ id: 'nightly', name: 'Nightly', tags: ['batch'] }] };
    agent = await startAgentProcess({ dataDir, config });
    let client = clientFor(agent.url);
    await client.call('fleet.logPatterns.put', { value: { id: 'panic', name: 'Panics', regex: 'panic:' } });
    await client.call('fleet.alertRules.put', {
      value: { id: 'panics', name: 'Panics', condition: { kind: 'logPattern', patternId: 'panic' } },
    });
    await client.call('fleet.checkTemplates.put', {
      value: { id: 'beat', serviceTags: ['batch'], check: { name: 'beat', type: 'ttl', ttlMs: 60_000 } },
    });
    expect(await agent.stop('SIGTERM')).toBe(0);

    agent = await startAgentProcess({ dataDir, config });
    client = clientFor(agent.url);
    expect((await client.call('fleet.logPatterns.list', {})).map((e) => e.id)).toEqual(['panic']);
    expect(await client.call('logs.patterns.list', {})).toMatchObject([{ source: 'fleet', pattern: { id: 'panic' } }]);
    // Saved in the old condition shape, as before signals: it still loads (beside the six default rules).
    const rules = await client.call('alerts.rules.list', {});
    expect(rules.find((state) => state.rule.id === 'panics')).toMatchObject({
      source: 'fleet',
      rule: { signal: { kind: 'logPattern', patternId: 'panic' }, threshold: 0 },
    });
    const [service] = await client.call('services.list', {});
    expect(service!.checks.map((c) => [c.name, c.template])).toEqual([['beat', 'beat']]);
  });
});
