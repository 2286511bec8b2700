import { useId } from 'react';
import type { ServiceState } from '../../../shared/services.js';
import { SourceBadge } from '../../components/source-badge.js';
import { formatMs } from '../../format/numbers.js';
import { useNow } from '../../hooks/use-now.js';
import { uptimeLines } from './data-coverage.js';
import { HeartbeatStrip } from './heartbeat-strip.js';
import { averageLatency, serviceBeats, worstUptime } from './heartbeats.js';
import { ServiceHealthPill } from './service-health-pill.js';

interface ServiceListProps {
  services: ServiceState[];
  selectedId: string | null;
  onSelect(id: string): void;
}

const byName = (a: ServiceState, b: ServiceState) =>
  a.definition.name.localeCompare(b.definition.name) || a.definition.id.localeCompare(b.definition.id);

/** A row's health at a glance: its last results as a strip, its uptime (with the span it stands on) and latency. */
function ServiceVitals({ service, now }: { service: ServiceState; now: number }) {
  const { id } = service.definition;
  if (service.checks.length === 0) return null;
  const beats = serviceBeats(service);
  const uptime = worstUptime(service);
  const latency = averageLatency(beats);
  return (
    <span className="service-vitals">
      <HeartbeatStrip beats={beats} withCheck={service.checks.length > 1} testId={`heartbeats-${id}`} />
      <span className="service-vitals-figures">
        {uptime && (
          <span data-testid={`row-uptime-${id}`} title="Uptime of its least available check">
            {uptimeLines(uptime, now)[0]}
          </span>
        )}
        {latency !== null && (
          <span className="muted" data-testid={`row-latency-${id}`} title="Average latency of the results shown">
            avg {formatMs(latency)}
          </span>
        )}
      </span>
    </span>
  );
}

/** Every service of the node: status, last results, uptime and latency, where it came from and its restarts. */
export function ServiceList({ services, selectedId, onSelect }: ServiceListProps) {
  const headingId = useId();
  const now = useNow(5000);
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
                  <ServiceHealthPill service={service} />
                  <ServiceVitals service={service} now={now} />
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
