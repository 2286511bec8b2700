import { describe, expect, it } from 'vitest';
import { LocalBackend } from '../../../electron/cluster/local/local-backend.js';
import { LocalCoordinator } from '../../../electron/cluster/local/local-coordinator.js';
import { fleetKeys } from '../../../electron/cluster/fleet-keys.js';
import { Store } from '../../../electron/store/store.js';
import { tempDir } from '../../support/agent-process.js';
import { ManualClock } from '../../support/manual-clock.js';
import { memoryLogger } from '../../support/test-logger.js';
import { describeCoordinationContract } from './coordination-contract.js';

describeCoordinationContract('local', async () => {
  const clock = new ManualClock();
  const coordinator = new LocalCoordinator(clock);
  const { logger, lines } = memoryLogger();
  const backends: LocalBackend[] = [];
  return {
    ttlSeconds: 3,
    async backend() {
      const backend = new LocalBackend({ coordinator, ownsCoordinator: false, cluster: 'test', clock, logger });
      await backend.connect();
      backends.push(backend);
      return backend;
    },
    warnings: () => lines.filter((line) => line.level === 40).map((line) => String(line.msg)),
    elapse: (ms) => clock.advance(ms),
    async writeRaw(key, value, { leased = false } = {}) {
      coordinator.put(fleetKeys('test').root + key, value, leased ? coordinator.grant(60_000) : null);
    },
    async cleanup() {
      for (const backend of backends) await backend.close();
      coordinator.close();
    },
  };
});

describe('local backend durable keys', () => {
  it('keeps keys without a lease in the node database across a restart; leased keys die with the process', async () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const first = Store.open(dir, { now: clock.now() });
    const coordinator = new LocalCoordinator(clock, 250, first.localKv);
    const lease = coordinator.grant(3000);
    coordinator.put('fleetdeck/x/config/log-patterns/oom', '{"id":"oom"}');
    coordinator.put('fleetdeck/x/config/log-patterns/gone', '{}');
    coordinator.delete('fleetdeck/x/config/log-patterns/gone');
    coordinator.put('fleetdeck/x/members/n1', '{}', lease);
    coordinator.close();
    first.close();

    const second = Store.open(dir, { now: clock.now() });
    const restarted = new LocalCoordinator(clock, 250, second.localKv);
    expect(restarted.range('fleetdeck/x/').map(([key, stored]) => [key, stored.value, stored.lease])).toEqual([
      ['fleetdeck/x/config/log-patterns/oom', '{"id":"oom"}', null],
    ]);
    restarted.close();
    second.close();
  });
});
