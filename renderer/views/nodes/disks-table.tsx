import type { DiskUsage } from '../../../shared/node.js';
import { Card } from '../../components/card.js';
import { DataTable, EmptyRow } from '../../components/data-table.js';
import { formatBytes } from '../../format/bytes.js';

const percentOf = (used: number, total: number) => (total > 0 ? Math.round((used / total) * 100) : 0);

/** Every real filesystem of this node from the latest sample, the one holding the data dir marked. */
export function DisksTable({ disks, dataDirMount }: { disks: readonly DiskUsage[]; dataDirMount: string }) {
  return (
    <Card title="Disks" count={disks.length === 1 ? '1 filesystem' : `${disks.length} filesystems`}>
      <DataTable className="disks-table" testId="node-disks" columns={['Mount', 'Filesystem', 'Used / size', 'Usage']}>
        {disks.length === 0 ? (
          <EmptyRow columns={4}>No filesystems reported.</EmptyRow>
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
      </DataTable>
    </Card>
  );
}
