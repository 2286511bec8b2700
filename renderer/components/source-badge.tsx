import type { ServiceSource } from '../../shared/services.js';
import './source-badge.css';

const sources: Record<ServiceSource, { label: string; title: string }> = {
  config: { label: 'Config file', title: 'Defined in this node’s config file: read-only here' },
  api: { label: 'API', title: 'Added through the UI or the API' },
  demo: { label: 'Demo', title: 'Sample service started by the demo; not a real service' },
  fleet: {
    label: 'Fleet',
    title: 'Defined once for the whole fleet and applied by every agent; changed or removed for all of them at once',
  },
};

/** Where a service's definition came from. Demo services must never pass for real ones. */
export function SourceBadge({ source }: { source: ServiceSource }) {
  return (
    <span className={`badge source-badge source-${source}`} title={sources[source].title}>
      {sources[source].label}
    </span>
  );
}
