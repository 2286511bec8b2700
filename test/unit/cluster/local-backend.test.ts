import { LocalBackend } from '../../../electron/cluster/local/local-backend.js';
import { LocalCoordinator } from '../../../electron/cluster/local/local-coordinator.js';
import { fleetKeys } from '../../../electron/cluster/fleet-keys.js';
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
    async writeRaw(key, value) {
      coordinator.put(fleetKeys('test').root + key, value);
    },
    async cleanup() {
      for (const backend of backends) await backend.close();
      coordinator.close();
    },
  };
});
