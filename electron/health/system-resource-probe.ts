import { loadavg, networkInterfaces } from 'node:os';
import si from 'systeminformation';
import { MAX_DISKS, type DiskUsage, type ResourceSample } from '../../shared/node.js';
import type { Clock } from '../core/clock.js';
import type { ResourceProbe } from './resource-monitor.js';

/** The filesystem whose mount point is the longest prefix of `path`. */
export function filesystemFor<T extends { mount: string }>(filesystems: T[], path: string): T | undefined {
  return filesystems
    .filter((fs) => path === fs.mount || path.startsWith(fs.mount.endsWith('/') ? fs.mount : `${fs.mount}/`))
    .sort((a, b) => b.mount.length - a.mount.length)[0];
}

/** Kernel and virtual filesystems: they hold no user data, or only memory, so they are not disks. */
const pseudoFilesystemTypes = new Set([
  'autofs',
  'binfmt_misc',
  'bpf',
  'cgroup',
  'cgroup2',
  'configfs',
  'debugfs',
  'devfs',
  'devpts',
  'devtmpfs',
  'efivarfs',
  'fuse.gvfsd-fuse',
  'fuse.lxcfs',
  'fuse.portal',
  'fusectl',
  'hugetlbfs',
  'mqueue',
  'nsfs',
  'proc',
  'pstore',
  'ramfs',
  'rpc_pipefs',
  'securityfs',
  'selinuxfs',
  'squashfs',
  'sysfs',
  'tmpfs',
  'tracefs',
]);
/** Union filesystems: a container's root is worth showing; elsewhere they are image layers of a disk already listed. */
const unionFilesystemTypes = new Set(['overlay', 'aufs']);

interface FilesystemInfo {
  fs: string;
  type: string;
  mount: string;
  size: number;
  used: number;
}

const preferredMount = (a: FilesystemInfo, b: FilesystemInfo) =>
  a.mount.length !== b.mount.length ? a.mount.length < b.mount.length : a.mount < b.mount;

/**
 * The real filesystems among `fsSize()` entries, sorted by mount and at most `max`: no pseudo filesystems, no
 * empty ones, no union (overlay) mounts except a container's root, one entry per mount point, and one per
 * device — a device mounted (or bind-mounted) several times is listed once, at its shortest mount, as GNU df
 * does.
 */
export function selectDisks(filesystems: readonly FilesystemInfo[], max = MAX_DISKS): DiskUsage[] {
  // Mounted over another: only the later mount (the one in use, as df lists them in mount order) is visible.
  const byMount = new Map<string, FilesystemInfo>();
  for (const entry of filesystems) {
    const type = entry.type.toLowerCase();
    if (entry.mount === '' || !(entry.size > 0)) continue;
    if (pseudoFilesystemTypes.has(type)) continue;
    if (unionFilesystemTypes.has(type) && entry.mount !== '/') continue;
    byMount.set(entry.mount, entry);
  }
  const byDevice = new Map<string, FilesystemInfo>();
  for (const entry of byMount.values()) {
    const kept = byDevice.get(entry.fs);
    if (!kept || preferredMount(entry, kept)) byDevice.set(entry.fs, entry);
  }
  return [...byDevice.values()]
    .sort((a, b) => (a.mount < b.mount ? -1 : a.mount > b.mount ? 1 : 0))
    .slice(0, max)
    .map((entry) => ({
      mount: entry.mount,
      fs: entry.fs,
      usedBytes: Math.max(0, entry.used || 0),
      totalBytes: entry.size,
    }));
}

/**
 * Names of the interfaces that are not internal (loopback), from `os.networkInterfaces()`: what network
 * throughput is summed over. Alias labels (`eth0:1`) count as their interface.
 */
export function externalInterfaces(
  interfaces: Readonly<Record<string, ReadonlyArray<{ internal: boolean }> | undefined>>,
): string[] {
  const names = new Set<string>();
  for (const [name, addresses] of Object.entries(interfaces)) {
    if (!addresses || addresses.length === 0 || addresses.some((address) => address.internal)) continue;
    names.add(name.split(':')[0]!);
  }
  return [...names].sort();
}

const rate = (value: number | null | undefined) =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;

/**
 * Received and sent bytes per second summed over `networkStats()` entries. An interface's first reading has
 * no rate yet (null): it counts as 0, as does a counter that went backwards.
 */
export function networkThroughput(stats: ReadonlyArray<{ rx_sec: number | null; tx_sec: number | null }>): {
  rxBytesPerSec: number;
  txBytesPerSec: number;
} {
  let rxBytesPerSec = 0;
  let txBytesPerSec = 0;
  for (const entry of stats) {
    rxBytesPerSec += rate(entry.rx_sec);
    txBytesPerSec += rate(entry.tx_sec);
  }
  return { rxBytesPerSec, txBytesPerSec };
}

/** `os.loadavg()` as the three averages; anything not a finite non-negative number (never seen) reads 0. */
export function loadAverages(values: readonly number[]): ResourceSample['load'] {
  const at = (index: number) => {
    const value = values[index];
    return value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
  };
  return { avg1: at(0), avg5: at(1), avg15: at(2) };
}

/** Reads CPU, memory, load, network and disks from the OS through systeminformation. */
export function systemResourceProbe(dataDir: string, clock: Clock): ResourceProbe {
  return async () => {
    // Named interfaces rather than networkStats('*'): '*' lists interfaces through si.networkInterfaces(),
    // which runs a shell per interface whenever addresses change, and cannot tell loopback apart anyway.
    const interfaces = externalInterfaces(networkInterfaces());
    const [load, mem, filesystems, network] = await Promise.all([
      si.currentLoad(),
      si.mem(),
      si.fsSize(),
      interfaces.length > 0 ? si.networkStats(interfaces.join(',')) : Promise.resolve([]),
    ]);
    const fs = filesystemFor(filesystems, dataDir);
    const sample: ResourceSample = {
      sampledAt: clock.now(),
      cpu: { loadPercent: Math.min(100, Math.max(0, load.currentLoad)), cores: Math.max(1, load.cpus.length) },
      // "active" excludes caches the kernel would give back, which is what an operator means by used.
      memory: { usedBytes: mem.active, totalBytes: mem.total },
      disk: { mount: fs?.mount ?? '', usedBytes: fs?.used ?? 0, totalBytes: fs?.size ?? 0 },
      // si.currentLoad() has only the 1-minute figure (avgLoad); the OS has all three.
      load: loadAverages(loadavg()),
      network: networkThroughput(network),
      disks: selectDisks(filesystems),
    };
    return sample;
  };
}
