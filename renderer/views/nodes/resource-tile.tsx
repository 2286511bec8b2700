import { useId, type ReactNode } from 'react';

interface ResourceTileProps {
  label: string;
  value: ReactNode;
  detail: ReactNode;
  /** With `capacity`, draws the usage meter; a figure without a ceiling (throughput) has none. */
  used?: number;
  capacity?: number;
}

/** One resource: the figure, a usage meter (amber from 70 %, red from 90 %) and a line of detail. */
export function ResourceTile({ label, value, detail, used, capacity }: ResourceTileProps) {
  const labelId = useId();
  return (
    <div className="resource-tile">
      <p className="resource-label" id={labelId}>
        {label}
      </p>
      <p className="resource-value">{value}</p>
      {used !== undefined && capacity !== undefined && (
        <meter
          aria-labelledby={labelId}
          min={0}
          max={capacity}
          value={used}
          low={capacity * 0.7}
          high={capacity * 0.9}
          optimum={0}
        />
      )}
      <p className="resource-detail">{detail}</p>
    </div>
  );
}
