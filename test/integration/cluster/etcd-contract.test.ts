import { Etcd3 } from 'etcd3';
import { afterAll } from 'vitest';
import { EtcdBackend } from '../../../electron/cluster/etcd/etcd-backend.js';
import { fleetKeys } from '../../../electron/cluster/fleet-keys.js';
import { systemClock } from '../../../electron/core/clock.js';
import { startEtcdCluster, type EtcdCluster } from '../../support/etcd-cluster.js';
import { memoryLogger } from '../../support/test-logger.js';
import { describeCoordinationContract } from '../../unit/cluster/coordination-contract.js';

// One etcd for the file; every harness gets a fleet (key prefix) of its own.
let etcd: Promise<EtcdCluster> | undefined;
let fleets = 0;
afterAll(async () => (await etcd)?.stop());

describeCoordinationContract('etcd', async () => {
  const cluster = await (etcd ??= startEtcdCluster({ members: 1 }));
  const name = `contract-${++fleets}`;
  const { logger, lines } = memoryLogger();
  const backends: EtcdBackend[] = [];
  const raw = new Etcd3({ hosts: cluster.endpoints });
  return {
    ttlSeconds: 2,
    async backend() {
      const backend = new EtcdBackend({ endpoints: cluster.endpoints, cluster: name, clock: systemClock, logger });
      await backend.connect();
      backends.push(backend);
      return backend;
    },
    warnings: () => lines.filter((line) => line.level === 40).map((line) => String(line.msg)),
    elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    async writeRaw(key, value, { leased = false } = {}) {
      const full = fleetKeys(name).root + key;
      if (!leased) return void (await raw.put(full).value(value));
      const lease = raw.lease(60, { autoKeepAlive: false });
      await lease.put(full).value(value);
      lease.release();
    },
    async cleanup() {
      for (const backend of backends) await backend.close();
      raw.close();
    },
  };
});
