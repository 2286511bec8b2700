import si from 'systeminformation';
import type { ResourceSample } from '../../shared/node.js';
import type { Clock } from '../core/clock.js';
import type { ResourceProbe } from './resource-monitor.js';

/** The filesystem whose mount point is the longest prefix of `path`. */
export function filesystemFor<T extends { mount: string }>(filesystems: T[], path: string): T | undefined {
  return filesystems
    .filter((fs) => path === fs.mount || path.startsWith(fs.mount.endsWith('/') ? fs.mount : `${fs.mount}/`))
    .sort((a, b) => b.mount.length - a.mount.length)[0];
}

/** Reads CPU, memory and the data dir's disk from the OS through systeminformation. */
export function systemResourceProbe(dataDir: string, clock: Clock): ResourceProbe {
  return async () => {
    const [load, mem, filesystems] = await Promise.all([si.currentLoad(), si.mem(), si.fsSize()]);
    const fs = filesystemFor(filesystems, dataDir);
    const sample: ResourceSample = {
      sampledAt: clock.now(),
      cpu: { loadPercent: Math.min(100, Math.max(0, load.currentLoad)), cores: Math.max(1, load.cpus.length) },
      // "active" excludes caches the kernel would give back, which is what an operator means by used.
      memory: { usedBytes: mem.active, totalBytes: mem.total },
      disk: { mount: fs?.mount ?? '', usedBytes: fs?.used ?? 0, totalBytes: fs?.size ?? 0 },
    };
    return sample;
  };
}
