import './time-range-picker.css';
import { timeRanges } from './time-ranges.js';

/** The span a time chart shows: one button per range, the chosen one pressed. */
export function TimeRangePicker({
  rangeMs,
  onChange,
  label,
}: {
  rangeMs: number;
  onChange: (rangeMs: number) => void;
  /** Names the group, e.g. "Resources range". */
  label: string;
}) {
  return (
    <div className="time-range-picker" role="group" aria-label={label}>
      {timeRanges.map((range) => (
        <button
          key={range.ms}
          type="button"
          aria-pressed={range.ms === rangeMs}
          title={`Show the ${range.long}`}
          onClick={() => onChange(range.ms)}
        >
          {range.short}
        </button>
      ))}
    </div>
  );
}
