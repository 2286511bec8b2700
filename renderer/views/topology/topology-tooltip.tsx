import { formatAgo, formatClock } from '../../format/time.js';
import { useNow } from '../../hooks/use-now.js';
import { mapStatusLabels, openAlertsText, summaryPercent, type MapNode } from './map-status.js';

/** Where the hovered node is on the canvas (CSS pixels from its top left corner). */
export interface TooltipAnchor {
  x: number;
  y: number;
  radius: number;
}

/** What an operator asks of a node under the pointer: what it is, how it is, what fires, how loaded it is. */
export function TopologyTooltip({ node, anchor }: { node: MapNode; anchor: TooltipAnchor }) {
  const now = useNow(1000);
  const summary = node.summary;
  const lastSeen = node.down?.lastSeen ?? node.member?.lastSeen;
  return (
    <div
      className="topology-tooltip"
      role="tooltip"
      data-testid="topology-tooltip"
      data-node-id={node.id}
      data-status={node.status}
      style={{ left: anchor.x, top: anchor.y + anchor.radius + 8 }}
    >
      <p className="topology-tooltip-title">
        <strong>{node.name}</strong>{' '}
        <span className="topology-tooltip-status" style={{ color: `var(--map-${node.status})` }}>
          {mapStatusLabels[node.status]}
        </span>
      </p>
      <dl>
        {node.down?.downSince !== undefined && (
          <div>
            <dt>Down since</dt>
            <dd>
              {formatClock(node.down.downSince)} ({formatAgo(node.down.downSince, now)})
            </dd>
          </div>
        )}
        {(node.down || node.status === 'stale') && lastSeen !== undefined && (
          <div>
            <dt>Last seen</dt>
            <dd>
              {formatClock(lastSeen)} ({formatAgo(lastSeen, now)})
            </dd>
          </div>
        )}
        <div>
          <dt>Alerts</dt>
          <dd>{summary ? openAlertsText(summary.openAlerts) : 'Not known'}</dd>
        </div>
        <div>
          <dt>CPU · mem</dt>
          <dd>
            {summary ? `${summaryPercent(summary.cpuPercent)} · ${summaryPercent(summary.memoryPercent)}` : 'Not known'}
          </dd>
        </div>
      </dl>
    </div>
  );
}
