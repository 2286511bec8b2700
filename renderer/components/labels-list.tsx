import type { Labels } from '../../shared/ids.js';

export function LabelsList({ labels }: { labels: Labels }) {
  const entries = Object.entries(labels);
  if (entries.length === 0) return <span className="muted">None</span>;
  return (
    <ul className="chips">
      {entries.map(([key, value]) => (
        <li key={key} className="chip">
          {key}={value}
        </li>
      ))}
    </ul>
  );
}
