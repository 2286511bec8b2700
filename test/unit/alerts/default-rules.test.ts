import { afterEach, describe, expect, it } from 'vitest';
import {
  defaultAlertRules,
  defaultRulesSeed,
  defaultRulesSeededKey,
  seedDefaultRules,
} from '../../../electron/alerts/default-rules.js';
import { LocalBackend } from '../../../electron/cluster/local/local-backend.js';
import { LocalCoordinator } from '../../../electron/cluster/local/local-coordinator.js';
import { seedWhenConnected } from '../../../electron/fleet-config/fleet-seed.js';
import { AlertRule } from '../../../shared/alerts.js';
import { ManualClock } from '../../support/manual-clock.js';
import { waitFor } from '../../support/poll.js';
import { memoryLogger } from '../../support/test-logger.js';

const backends: LocalBackend[] = [];
afterEach(async () => {
  for (const backend of backends.splice(0)) await backend.close();
});

function backend() {
  const clock = new ManualClock();
  const { logger, lines } = memoryLogger();
  const local = new LocalBackend({
    coordinator: new LocalCoordinator(clock),
    ownsCoordinator: true,
    cluster: 'defaults',
    clock,
    logger,
  });
  backends.push(local);
  return { backend: local, lines };
}

const storedRules = async (local: LocalBackend) =>
  (await local.list('config/alert-rules/')).map((entry) => AlertRule.parse(JSON.parse(entry.value)));

describe('default alert rules', () => {
  it('are six valid, enabled rules with distinct ids', () => {
    const rules = defaultAlertRules();
    expect(rules).toHaveLength(6);
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(6);
    expect(rules.every((rule) => rule.enabled)).toBe(true);
    expect(rules.map((rule) => rule.signal.kind).sort()).toEqual([
      'checkLatency',
      'errorRate',
      'resource',
      'resource',
      'resource',
      'taskQueue',
    ]);
  });

  it('are written once: a second seeding writes nothing, and a deleted default stays deleted', async () => {
    const { backend: local } = backend();
    await local.connect();
    expect(await seedDefaultRules(local)).toBe(true);
    expect((await storedRules(local)).map((rule) => rule.id).sort()).toEqual(
      defaultAlertRules()
        .map((rule) => rule.id)
        .sort(),
    );
    await local.delete('config/alert-rules/default-cpu-high');
    expect(await seedDefaultRules(local)).toBe(false);
    expect(await local.get('config/alert-rules/default-cpu-high')).toBeNull();
    expect(await local.get(defaultRulesSeededKey)).not.toBeNull();
  });

  it('leave a rule of the same id alone and write the others', async () => {
    const { backend: local } = backend();
    await local.connect();
    const own = AlertRule.parse({
      id: 'default-disk-full',
      name: 'Ours',
      signal: { kind: 'resource', metric: 'disk' },
      threshold: 99,
    });
    await local.put('config/alert-rules/default-disk-full', JSON.stringify(own));
    expect(await seedDefaultRules(local)).toBe(true);
    const rules = await storedRules(local);
    expect(rules).toHaveLength(6);
    expect(rules.find((rule) => rule.id === 'default-disk-full')).toEqual(own);
  });

  it('wait for the backend to be connected, then seed once', async () => {
    const { backend: local } = backend();
    const seeding = memoryLogger();
    const stop = seedWhenConnected(local, seeding.logger, defaultRulesSeed());
    expect(seeding.lines).toEqual([]);
    await local.connect();
    await waitFor('the defaults to be written', async () => (await storedRules(local)).length === 6);
    await waitFor('the seeding to say so', () =>
      seeding.lines.some((line) => line.msg === 'default alert rules saved for the fleet'),
    );
    stop();
  });
});
