import { useId } from 'react';
import { mapStatuses, mapStatusLabels } from './map-status.js';

/** What the colours and shapes on the map mean; each mark is drawn as the canvas draws it. */
export function TopologyLegend() {
  const headingId = useId();
  return (
    <section className="topology-legend" aria-labelledby={headingId}>
      <h2 id={headingId} className="visually-hidden">
        Legend
      </h2>
      <ul>
        {mapStatuses.map((status) => (
          <li key={status} data-testid={`legend-${status}`}>
            <span className={`legend-swatch legend-dot legend-${status}`} aria-hidden="true" />
            {mapStatusLabels[status]}
          </li>
        ))}
        <li data-testid="legend-agent">
          <span className="legend-swatch legend-dot legend-shape" aria-hidden="true" />
          Agent
        </li>
        <li data-testid="legend-console">
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
