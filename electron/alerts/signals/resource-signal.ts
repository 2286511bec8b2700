import type { ResourceSignal } from '../../../shared/alert-signals.js';
import type { ResourcePoint, ResourceSample } from '../../../shared/node.js';
import type { SignalReading } from './signal-reading.js';

type Metric = ResourceSignal['metric'];

const subjects: Record<Metric, string> = {
  cpu: 'cpu',
  memory: 'memory',
  disk: 'disk',
  load1: 'load (1 min)',
  networkRx: 'network in',
  networkTx: 'network out',
};

/**
 * cpu: load; memory: used of total; disk: used of total on the data directory's filesystem (percent); load and
 * network as measured. Null for a share of a size of zero (unknown).
 */
export function resourceValue(metric: Metric, point: ResourcePoint): number | null {
  const share = (used: number, total: number) => (total > 0 ? (used / total) * 100 : null);
  switch (metric) {
    case 'cpu':
      return point.cpuPercent;
    case 'memory':
      return share(point.memoryUsedBytes, point.memoryTotalBytes);
    case 'disk':
      return share(point.diskUsedBytes, point.diskTotalBytes);
    case 'load1':
      return point.load1;
    case 'networkRx':
      return point.networkRxBytesPerSec;
    case 'networkTx':
      return point.networkTxBytesPerSec;
  }
}

/** A live sample as a stored point reads, so both are judged by the same figures. */
export const pointOfSample = (s: ResourceSample): ResourcePoint => ({
  at: s.sampledAt,
  cpuPercent: s.cpu.loadPercent,
  memoryUsedBytes: s.memory.usedBytes,
  memoryTotalBytes: s.memory.totalBytes,
  diskUsedBytes: s.disk.usedBytes,
  diskTotalBytes: s.disk.totalBytes,
  load1: s.load.avg1,
  networkRxBytesPerSec: s.network.rxBytesPerSec,
  networkTxBytesPerSec: s.network.txBytesPerSec,
});

export function readResource(signal: ResourceSignal, sample: ResourceSample | null): SignalReading {
  const subject = subjects[signal.metric];
  if (!sample) return { value: null, subject: `${subject}: no sample yet` };
  const value = resourceValue(signal.metric, pointOfSample(sample));
  return value === null ? { value, subject: `${subject}: size unknown` } : { value, subject };
}
