import { useEffect, useId } from 'react';
import { Facts } from '../../components/facts.js';
import { ErrorNotice } from '../../components/card.js';
import type { ServiceState } from '../../../shared/services.js';
import { useClient } from '../../client/client-context.js';
import { useConfirmedDelete } from '../../components/confirm-delete.js';
import { useNow } from '../../hooks/use-now.js';
import { useServicesStore } from '../../stores/services-store.js';
import { CheckCard } from './check-card.js';
import { SourceBadge } from '../../components/source-badge.js';
import { ServiceHealthPill } from './service-health-pill.js';
import { ServiceSignalsCard } from './service-signals-card.js';

/** The selected service: what it is, its supervisor, its checks, and what may be done with it. */
export function ServiceDetails({ service }: { service: ServiceState }) {
  const client = useClient();
  const openEditor = useServicesStore((s) => s.openEditor);
  const remove = useServicesStore((s) => s.remove);
  const removeFromFleet = useServicesStore((s) => s.removeFromFleet);
  const loadHistory = useServicesStore((s) => s.loadHistory);
  const now = useNow(5000);
  const headingId = useId();
  const { definition, supervisor } = service;
  const checkNames = service.checks.map((c) => c.name).join('\n');

  // A newly selected service (or new checks) needs its whole history once; the view's poll adds what is new.
  useEffect(() => {
    for (const name of checkNames.split('\n').filter(Boolean)) void loadHistory(client, definition.id, name);
  }, [client, definition.id, checkNames, loadHistory]);

  const fleet = service.source === 'fleet';
  const removal = useConfirmedDelete(() =>
    fleet ? removeFromFleet(client, definition.id) : remove(client, definition.id),
  );

  return (
    <section className="card service-details" aria-labelledby={headingId} data-testid="service-details">
      <header className="card-header">
        <div>
          <p className="eyebrow">Service</p>
          <h2 id={headingId} className="service-title">
            {definition.name}
          </h2>
          <p className="service-subtitle">
            <code>{definition.id}</code>
            <SourceBadge source={service.source} />
            {definition.tags.length > 0 && (
              <span className="chips" aria-label="Tags">
                {definition.tags.map((tag) => (
                  <span key={tag} className="chip">
                    {tag}
                  </span>
                ))}
              </span>
            )}
          </p>
        </div>
        <ServiceHealthPill service={service} testId="service-status" />
      </header>

      {definition.description && <p className="service-description">{definition.description}</p>}
      {service.source === 'demo' && (
        <p className="notice notice-demo">A demo service on loopback, started to show what Fleetdeck does.</p>
      )}

      <div className="service-actions">
        {service.source === 'config' ? (
          <p className="muted">
            Defined in this node’s config file: change it there. It cannot be edited or removed here.
          </p>
        ) : fleet ? (
          <>
            <p className="muted actions-note">
              Defined for the whole fleet and applied by every agent: changes here apply to all of them.
            </p>
            <button type="button" className="button" onClick={() => openEditor({ mode: 'edit', id: definition.id })}>
              Edit for the whole fleet
            </button>
            <button type="button" className="button button-danger-quiet" onClick={removal.ask}>
              Remove from the whole fleet
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button" onClick={() => openEditor({ mode: 'edit', id: definition.id })}>
              Edit service
            </button>
            <button type="button" className="button button-danger-quiet" onClick={removal.ask}>
              Remove service
            </button>
          </>
        )}
      </div>
      {removal.confirming && (
        <div
          className="confirm"
          role="group"
          aria-label={fleet ? 'Confirm removal from the whole fleet' : 'Confirm removal'}
        >
          {fleet ? (
            <p>
              Remove <strong>{definition.name}</strong> from every agent of the fleet? Each one stops its checks and no
              longer shows it.
            </p>
          ) : (
            <p>
              Remove <strong>{definition.name}</strong>? Its checks stop and its history is no longer shown.
            </p>
          )}
          <button
            type="button"
            className="button button-danger"
            disabled={removal.busy}
            onClick={() => void removal.confirm()}
          >
            {removal.busy ? 'Removing…' : fleet ? `Remove ${definition.id} everywhere` : `Remove ${definition.id}`}
          </button>
          <button type="button" className="button" onClick={removal.cancel}>
            Cancel
          </button>
        </div>
      )}
      <ErrorNotice lead="The agent refused to remove it" error={removal.refusal} />

      {supervisor && (
        <section className="supervisor" aria-label="Supervisor">
          <h3>Supervised process</h3>
          <Facts
            className="facts facts-columns"
            facts={[
              { label: 'State', value: supervisor.state, testId: 'supervisor-state' },
              { label: 'PID', value: supervisor.pid ?? '—' },
              { label: 'Restarts', value: supervisor.restarts, testId: 'supervisor-restarts' },
              {
                label: 'Command',
                value: <code>{definition.supervise?.command ?? '—'}</code>,
              },
              { label: 'Last exit', value: supervisor.lastExit ?? 'Has not exited', className: 'facts-wide' },
              {
                label: 'Log file',
                value: <code>{supervisor.logFile}</code>,
                className: 'facts-wide',
              },
            ]}
          />
        </section>
      )}

      <ServiceSignalsCard serviceId={definition.id} now={now} />

      <section className="checks" aria-label="Checks">
        <h3>{service.checks.length === 1 ? '1 check' : `${service.checks.length} checks`}</h3>
        {service.checks.length === 0 && (
          <p className="muted" data-testid="no-checks-note">
            {supervisor
              ? 'No checks: the agent only knows whether its process runs, not whether it works. Add a check to know.'
              : 'No checks: nothing tells whether this service works. Add a check to know.'}
          </p>
        )}
        {service.checks.map((check) => {
          const checkDefinition = definition.checks.find((c) => c.name === check.name);
          return (
            <CheckCard
              key={check.name}
              serviceId={definition.id}
              definition={checkDefinition}
              state={check}
              now={now}
            />
          );
        })}
      </section>
    </section>
  );
}
