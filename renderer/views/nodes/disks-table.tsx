import { useId } from 'react';
import type { DiskUsage } from '../../../shared/node.js';
import { formatBytes } from '../../format/bytes.js';

const percentOf = (used: number, total: number) => (total > 0 ? Math.round((used / total) * 100) : 0);

/** Every real filesystem of this node from the latest sample, the one holding the data dir marked. */
export function DisksTable({ disks, dataDirMount }: { disks: readonly DiskUsage[]; dataDirMount: string }) {
  const headingId = useId();
  return (
    <section className="card" aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>Disks</h2>
        <span className="muted">{disks.length === 1 ? '1 filesystem' : `${disks.length} filesystems`}</span>
      </header>
      <div className="table-scroll">
        <table className="disks-table" aria-labelledby={headingId} data-testid="node-disks">
          <thead>
            <tr>
              <th scope="col">Mount</th>
              <th scope="col">Filesystem</th>
              <th scope="col">Used / size</th>
              <th scope="col">Usage</th>
            </tr>
          </thead>
          <tbody>
            {disks.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted">
                  No filesystems reported.
                </td>
              </tr>
            ) : (
              disks.map((disk) => {
                const percent = percentOf(disk.usedBytes, disk.totalBytes);
                return (
                  <tr key={disk.mount}>
                    <td>
                      <code>{disk.mount}</code>
                      {disk.mount === dataDirMount && <span className="tag">data dir</span>}
                    </td>
                    <td>
                      <code>{disk.fs}</code>
                    </td>
                    <td className="numeric">
                      {formatBytes(disk.usedBytes)} / {formatBytes(disk.totalBytes)}
                    </td>
                    <td>
                      <div className="disk-usage">
                        <meter
                          className="usage-meter"
                          aria-label={`Usage of ${disk.mount}`}
                          min={0}
                          max={disk.totalBytes}
                          value={disk.usedBytes}
                          low={disk.totalBytes * 0.7}
                          high={disk.totalBytes * 0.9}
                          optimum={0}
                        />
                        <span className="numeric">{percent} %</span>
                      </div>
                    </td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
