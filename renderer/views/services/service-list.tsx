import { useId } from 'react';
import type { ServiceState } from '../../../shared/services.js';
import { SourceBadge } from '../../components/source-badge.js';
import { StatusPill } from '../../components/status-pill.js';

interface ServiceListProps {
  services: ServiceState[];
  selectedId: string | null;
  onSelect(id: string): void;
}

const byName = (a: ServiceState, b: ServiceState) =>
  a.definition.name.localeCompare(b.definition.name) || a.definition.id.localeCompare(b.definition.id);

/** Every service of the node, with its status, where it came from and, when supervised, its restarts. */
export function ServiceList({ services, selectedId, onSelect }: ServiceListProps) {
  const headingId = useId();
  return (
    <section className="card service-list-card" aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>On this node</h2>
        <span className="muted">{services.length === 1 ? '1 service' : `${services.length} services`}</span>
      </header>
      {services.length === 0 ? (
        <p className="muted">No services yet. Add one, or import a YAML list.</p>
      ) : (
        <ul className="service-list" aria-labelledby={headingId}>
          {[...services].sort(byName).map((service) => {
            const { id, name } = service.definition;
            const selected = id === selectedId;
            return (
              <li key={id} data-testid={`service-${id}`} className={selected ? 'is-selected' : undefined}>
                <button
                  type="button"
                  className="service-row"
                  aria-current={selected ? 'true' : undefined}
                  onClick={() => onSelect(id)}
                >
                  <span className="service-row-name">
                    <span className="service-name">{name}</span>
                    <code className="service-id">{id}</code>
                  </span>
                  <StatusPill status={service.status} />
                  <span className="service-row-meta">
                    <SourceBadge source={service.source} />
                    <span className="muted">
                      {service.checks.length === 1 ? '1 check' : `${service.checks.length} checks`}
                    </span>
                    {service.supervisor && (
                      <span className="supervisor-summary" data-testid={`restarts-${id}`}>
                        {service.supervisor.state}, {service.supervisor.restarts}{' '}
                        {service.supervisor.restarts === 1 ? 'restart' : 'restarts'}
                      </span>
                    )}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
