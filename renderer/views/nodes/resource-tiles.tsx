import type { ResourceSample } from '../../../shared/node.js';
import { Timestamp } from '../../components/timestamp.js';
import { formatBytes } from '../../format/bytes.js';
import { formatBytesPerSecond, formatLoad } from './rates.js';
import { ResourceTile } from './resource-tile.js';

const percentOf = (used: number, total: number) => (total > 0 ? Math.round((used / total) * 100) : 0);

/** CPU, load, memory, disk and network from the latest sample, and when it was taken. */
export function ResourceTiles({ sample }: { sample: ResourceSample | null }) {
  if (!sample) return <p className="muted">Waiting for the first resource sample…</p>;
  const { cpu, load, memory, disk, network } = sample;
  return (
    <>
      <div className="resource-tiles">
        <ResourceTile
          label="CPU"
          value={<span data-testid="node-cpu">{cpu.loadPercent.toFixed(1)} %</span>}
          detail={`${cpu.cores} ${cpu.cores === 1 ? 'core' : 'cores'}`}
          used={cpu.loadPercent}
          capacity={100}
        />
        <ResourceTile
          label="Load"
          value={
            <span data-testid="node-load">
              {formatLoad(load.avg1)} <span className="resource-value-minor">{formatLoad(load.avg5)}</span>{' '}
              <span className="resource-value-minor">{formatLoad(load.avg15)}</span>
            </span>
          }
          detail={`1, 5 and 15 min averages, ${cpu.cores} ${cpu.cores === 1 ? 'core' : 'cores'}`}
          // Against the core count: a load above it means work is queueing for a CPU.
          used={load.avg1}
          capacity={cpu.cores}
        />
        <ResourceTile
          label="Memory"
          value={`${formatBytes(memory.usedBytes)} / ${formatBytes(memory.totalBytes)}`}
          detail={`${percentOf(memory.usedBytes, memory.totalBytes)} % used`}
          used={memory.usedBytes}
          capacity={memory.totalBytes}
        />
        <ResourceTile
          label="Disk"
          value={`${formatBytes(disk.usedBytes)} / ${formatBytes(disk.totalBytes)}`}
          detail={
            <>
              {percentOf(disk.usedBytes, disk.totalBytes)} % used on <code>{disk.mount}</code>
            </>
          }
          used={disk.usedBytes}
          capacity={disk.totalBytes}
        />
        <ResourceTile
          label="Network received"
          value={<span data-testid="node-network-rx">{formatBytesPerSecond(network.rxBytesPerSec)}</span>}
          detail="All interfaces but loopback"
        />
        <ResourceTile
          label="Network sent"
          value={<span data-testid="node-network-tx">{formatBytesPerSecond(network.txBytesPerSec)}</span>}
          detail="All interfaces but loopback"
        />
      </div>
      <p className="muted sample-time">
        Last sample at <Timestamp epochMs={sample.sampledAt} />
      </p>
    </>
  );
}
