import { useId } from 'react';
import { statusLabels } from '../../components/status-pill.js';
import { healthOrder } from './topology-layout.js';

/** What the colours and shapes on the map mean. */
export function TopologyLegend() {
  const headingId = useId();
  return (
    <section className="topology-legend" aria-labelledby={headingId}>
      <h2 id={headingId} className="visually-hidden">
        Legend
      </h2>
      <ul>
        {healthOrder.map((status) => (
          <li key={status}>
            <span className={`legend-swatch legend-dot legend-${status}`} aria-hidden="true" />
            {statusLabels[status]}
          </li>
        ))}
        <li>
          <span className="legend-swatch legend-dot legend-shape" aria-hidden="true" />
          Agent
        </li>
        <li>
          <span className="legend-swatch legend-diamond legend-shape" aria-hidden="true" />
          Console
        </li>
        <li>
          <span className="legend-swatch legend-crown" aria-hidden="true" />
          Leader
        </li>
        <li>
          <span className="legend-swatch legend-ring" aria-hidden="true" />
          Search match
        </li>
        <li>
          <span className="legend-swatch legend-hub" aria-hidden="true" />
          Fleet
        </li>
      </ul>
    </section>
  );
}
