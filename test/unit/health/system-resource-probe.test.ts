import { describe, expect, it } from 'vitest';
import {
  externalInterfaces,
  filesystemFor,
  loadAverages,
  networkThroughput,
  selectDisks,
} from '../../../electron/health/system-resource-probe.js';
import { MAX_DISKS } from '../../../shared/node.js';

const GB = 1024 ** 3;
const fsEntry = (mount: string, fs: string, type = 'ext4', size = 100 * GB, used = 40 * GB) => ({
  fs,
  type,
  mount,
  size,
  used,
});

describe('filesystemFor', () => {
  const filesystems = [fsEntry('/', '/dev/sda1'), fsEntry('/var', '/dev/sda2'), fsEntry('/var/lib', '/dev/sdb1')];

  it('picks the longest mount that is a path prefix, on whole path segments', () => {
    expect(filesystemFor(filesystems, '/var/lib/fleetdeck')?.fs).toBe('/dev/sdb1');
    expect(filesystemFor(filesystems, '/var')?.fs).toBe('/dev/sda2');
    expect(filesystemFor(filesystems, '/variable/x')?.fs).toBe('/dev/sda1');
    expect(filesystemFor([], '/x')).toBeUndefined();
  });
});

describe('selectDisks', () => {
  it('keeps real filesystems, sorted by mount, with their usage', () => {
    expect(
      selectDisks([
        fsEntry('/home', '/dev/nvme0n1p3', 'ext4', 400 * GB, 100 * GB),
        fsEntry('/', '/dev/nvme0n1p2', 'btrfs'),
        fsEntry('/boot/efi', '/dev/nvme0n1p1', 'vfat', GB, 0.1 * GB),
        fsEntry('/mnt/nas', 'nas:/export', 'nfs4', 2000 * GB, 10 * GB),
      ]),
    ).toEqual([
      { mount: '/', fs: '/dev/nvme0n1p2', usedBytes: 40 * GB, totalBytes: 100 * GB },
      { mount: '/boot/efi', fs: '/dev/nvme0n1p1', usedBytes: 0.1 * GB, totalBytes: GB },
      { mount: '/home', fs: '/dev/nvme0n1p3', usedBytes: 100 * GB, totalBytes: 400 * GB },
      { mount: '/mnt/nas', fs: 'nas:/export', usedBytes: 10 * GB, totalBytes: 2000 * GB },
    ]);
  });

  it('skips pseudo and empty filesystems', () => {
    const disks = selectDisks([
      fsEntry('/', '/dev/sda1'),
      fsEntry('/dev', 'devtmpfs', 'devtmpfs'),
      fsEntry('/dev/shm', 'tmpfs', 'tmpfs'),
      fsEntry('/run', 'tmpfs', 'TMPFS'),
      fsEntry('/snap/core/1', '/dev/loop0', 'squashfs'),
      fsEntry('/sys/fs/cgroup', 'cgroup2', 'cgroup2'),
      fsEntry('/empty', '/dev/sdz', 'ext4', 0, 0),
      fsEntry('', '/dev/sdy'),
    ]);
    expect(disks.map((d) => d.mount)).toEqual(['/']);
  });

  it("keeps a container's overlay root but not the image layers of a Docker host", () => {
    expect(selectDisks([fsEntry('/', 'overlay', 'overlay')]).map((d) => d.mount)).toEqual(['/']);
    const host = selectDisks([
      fsEntry('/', '/dev/sda1'),
      fsEntry('/var/lib/docker/overlay2/a1/merged', 'overlay', 'overlay'),
      fsEntry('/var/lib/docker/overlay2/b2/merged', 'overlay', 'overlay'),
    ]);
    expect(host.map((d) => d.mount)).toEqual(['/']);
  });

  it('lists a device mounted several times once, at its shortest mount', () => {
    const disks = selectDisks([
      fsEntry('/srv/data', '/dev/sdb1'),
      fsEntry('/data', '/dev/sdb1'),
      fsEntry('/var/lib/kubelet/pods/x/volumes/data', '/dev/sdb1'),
      fsEntry('/', '/dev/sda1'),
    ]);
    expect(disks.map((d) => `${d.fs} ${d.mount}`)).toEqual(['/dev/sda1 /', '/dev/sdb1 /data']);
  });

  it('lists a mount point once, with the filesystem mounted last (the one in use)', () => {
    const disks = selectDisks([fsEntry('/', '/dev/sda1'), fsEntry('/mnt', '/dev/sdb1'), fsEntry('/mnt', '/dev/sdc1')]);
    expect(disks.map((d) => `${d.fs} ${d.mount}`)).toEqual(['/dev/sda1 /', '/dev/sdc1 /mnt']);
  });

  it(`keeps at most ${MAX_DISKS} filesystems, the first by mount`, () => {
    const many = Array.from({ length: 100 }, (_, i) => fsEntry(`/mnt/d${String(i).padStart(3, '0')}`, `/dev/d${i}`));
    const disks = selectDisks(many);
    expect(disks).toHaveLength(MAX_DISKS);
    expect(disks[0]!.mount).toBe('/mnt/d000');
    expect(disks.at(-1)!.mount).toBe(`/mnt/d0${MAX_DISKS - 1}`);
    expect(selectDisks(many, 3)).toHaveLength(3);
  });

  it('reads an unknown used figure as 0', () => {
    expect(selectDisks([fsEntry('C:', 'C:', 'NTFS', 100, Number.NaN)])).toEqual([
      { mount: 'C:', fs: 'C:', usedBytes: 0, totalBytes: 100 },
    ]);
  });
});

describe('externalInterfaces', () => {
  it('leaves out internal (loopback) interfaces and folds aliases into their interface', () => {
    expect(
      externalInterfaces({
        lo: [{ internal: true }, { internal: true }],
        wlan0: [{ internal: false }],
        eth0: [{ internal: false }, { internal: false }],
        'eth0:1': [{ internal: false }],
        none: [],
        gone: undefined,
      }),
    ).toEqual(['eth0', 'wlan0']);
    expect(externalInterfaces({ lo: [{ internal: true }] })).toEqual([]);
  });
});

describe('networkThroughput', () => {
  it('sums the rates of every interface', () => {
    expect(
      networkThroughput([
        { rx_sec: 1000, tx_sec: 200 },
        { rx_sec: 24.5, tx_sec: 0 },
      ]),
    ).toEqual({ rxBytesPerSec: 1024.5, txBytesPerSec: 200 });
  });

  it('counts a first reading (no rate yet) and anything not a rate as 0', () => {
    expect(
      networkThroughput([
        { rx_sec: null, tx_sec: null },
        { rx_sec: Number.NaN, tx_sec: -5 },
        { rx_sec: 10, tx_sec: Infinity },
      ]),
    ).toEqual({ rxBytesPerSec: 10, txBytesPerSec: 0 });
    expect(networkThroughput([])).toEqual({ rxBytesPerSec: 0, txBytesPerSec: 0 });
  });
});

describe('loadAverages', () => {
  it('names the 1, 5 and 15 minute figures', () => {
    expect(loadAverages([0.74, 0.78, 0.93])).toEqual({ avg1: 0.74, avg5: 0.78, avg15: 0.93 });
  });

  it('reads missing or impossible figures as 0', () => {
    expect(loadAverages([])).toEqual({ avg1: 0, avg5: 0, avg15: 0 });
    expect(loadAverages([Number.NaN, -1, 2])).toEqual({ avg1: 0, avg5: 0, avg15: 2 });
  });
});
