import { useEffect } from 'react';
import { useClient } from '../../client/client-context.js';
import { Card } from '../../components/card.js';
import { DataTable } from '../../components/data-table.js';
import { Timestamp } from '../../components/timestamp.js';
import { formatMs } from '../../format/numbers.js';
import { formatAgo } from '../../format/time.js';
import { useNow } from '../../hooks/use-now.js';
import { fleetServicesSelectors, useFleetServicesStore } from '../../stores/fleet-services-store.js';
import { uptimeLines } from './data-coverage.js';
import { fleetServiceRows } from './fleet-service-rows.js';
import { worstUptime } from './heartbeats.js';
import { ServiceHealthPill } from './service-health-pill.js';

/** Each member is asked through this agent, so the fleet is refreshed less often than this node's list. */
const refreshMs = 15_000;

const columns = ['Service', 'Node', 'Status', 'Uptime', { header: 'Latency', className: 'numeric' }, 'Last result'];

function useFleetServicesRefresh() {
  const client = useClient();
  const load = useFleetServicesStore((s) => s.load);
  useEffect(() => {
    void load(client);
    const timer = setInterval(() => void load(client), refreshMs);
    return () => clearInterval(timer);
  }, [client, load]);
}

/** Every service on every member (up to a bound), service × node, the worst first. */
export function FleetServicesTable() {
  useFleetServicesRefresh();
  const answers = useFleetServicesStore(fleetServicesSelectors.answers);
  const membersWithServices = useFleetServicesStore(fleetServicesSelectors.membersWithServices);
  const loadedAt = useFleetServicesStore(fleetServicesSelectors.loadedAt);
  const error = useFleetServicesStore(fleetServicesSelectors.error);
  const now = useNow(5000);
  const rows = fleetServiceRows(answers);
  const failed = answers.filter((answer) => answer.error !== null);
  const asked = answers.length;

  return (
    <Card
      title="Across the fleet"
      count={rows.length === 1 ? '1 service' : `${rows.length} services`}
      description={
        asked < membersWithServices
          ? `The ${asked} least healthy of ${membersWithServices} nodes with services, worst status first.`
          : `Every node's services, worst status first; refreshed every ${refreshMs / 1000} s.`
      }
      errorLead="Could not list the fleet's members"
      error={error}
      loading={loadedAt === null}
      loadingText="Asking the fleet's nodes…"
      empty={rows.length === 0 && failed.length === 0 ? 'No node of the fleet has services.' : undefined}
      className="fleet-services-card"
      testId="fleet-services"
      footer={
        failed.length > 0 && (
          <ul className="fleet-services-failures">
            {failed.map((answer) => (
              <li key={answer.memberId} className="field-error">
                Could not ask {answer.memberName}: {answer.error}
              </li>
            ))}
          </ul>
        )
      }
    >
      <DataTable columns={columns} className="fleet-services-table">
        {rows.map((row) => {
          const uptime = worstUptime(row.service);
          return (
            <tr key={row.key} data-testid={`fleet-service-${row.key}`}>
              <td>
                <span className="service-name">{row.service.definition.name}</span>{' '}
                <code className="service-id">{row.service.definition.id}</code>
              </td>
              <td>{row.memberName}</td>
              <td>
                <ServiceHealthPill service={row.service} />
              </td>
              <td>{uptime ? uptimeLines(uptime, now)[0] : '—'}</td>
              <td className="numeric">{row.lastResult ? formatMs(row.lastResult.latencyMs) : '—'}</td>
              <td>
                {row.lastResult ? (
                  <span title={row.lastResult.output}>
                    <Timestamp epochMs={row.lastResult.at} />{' '}
                    <span className="muted">({formatAgo(row.lastResult.at, now)})</span>
                  </span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          );
        })}
      </DataTable>
    </Card>
  );
}
