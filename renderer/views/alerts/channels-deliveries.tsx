import { DeliveryState } from '../../../shared/notifications.js';
import { useClient } from '../../client/client-context.js';
import { Card } from '../../components/card.js';
import { DataTable } from '../../components/data-table.js';
import { SelectField } from '../../components/form-fields.js';
import { Timestamp } from '../../components/timestamp.js';
import { channelsSelectors, useChannelsStore } from '../../stores/channels-store.js';

const filterOptions = [
  { value: 'all' as const, label: 'All' },
  ...DeliveryState.options.map((value) => ({ value, label: value[0]?.toUpperCase() + value.slice(1) })),
];

/** The leader's outbox, which holds the fleet's sends: newest first. */
export function DeliveriesTable() {
  const client = useClient();
  const deliveries = useChannelsStore(channelsSelectors.deliveries);
  const error = useChannelsStore(channelsSelectors.deliveriesError);
  const stateFilter = useChannelsStore(channelsSelectors.stateFilter);
  const filter = useChannelsStore((s) => s.filterDeliveries);
  const reload = useChannelsStore((s) => s.loadDeliveries);
  return (
    <Card
      title="Deliveries"
      description="Notifications in the leader’s outbox: pending ones are retried with backoff until sent or failed."
      actions={
        <div className="toolbar">
          <SelectField
            label="State"
            value={stateFilter}
            options={filterOptions}
            onChange={(state) => void filter(client, state)}
          />
          <button type="button" className="button" onClick={() => void reload(client)}>
            Refresh
          </button>
        </div>
      }
      errorLead="Could not load the deliveries"
      error={error}
      loading={deliveries === null}
      testId="deliveries-card"
    >
      <DataTable
        columns={['Created', 'Channel', 'Alert', 'State', { header: 'Attempts', className: 'numeric' }, 'Last error']}
        empty={deliveries?.length === 0 && 'Nothing in the leader’s outbox.'}
      >
        {(deliveries ?? []).map((delivery) => (
          <tr key={delivery.deliveryId} data-delivery={delivery.deliveryId}>
            <td>
              <Timestamp epochMs={delivery.createdAt} />
            </td>
            <td>
              <code>{delivery.channelId}</code>
            </td>
            <td>
              {delivery.notice.transition}: {delivery.notice.ruleName} on {delivery.notice.node}
              <span className="muted"> ({delivery.notice.severity})</span>
            </td>
            <td data-state={delivery.state}>
              {delivery.state}
              {delivery.sentAt !== null && (
                <span className="muted">
                  {' '}
                  <Timestamp epochMs={delivery.sentAt} />
                </span>
              )}
            </td>
            <td className="numeric">{delivery.attempts}</td>
            <td className="muted">{delivery.lastError ?? ''}</td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}
