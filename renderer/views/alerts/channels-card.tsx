import { useEffect } from 'react';
import type { ChannelShown } from '../../../shared/notifications.js';
import { useClient } from '../../client/client-context.js';
import { Card } from '../../components/card.js';
import { DeleteEverywhere } from '../../components/confirm-delete.js';
import { DataTable } from '../../components/data-table.js';
import { channelsSelectors, fleetChannels, useChannelsStore } from '../../stores/channels-store.js';
import { ChannelForm } from './channels-form.js';
import { channelTypeLabels, describeTarget } from './channels-draft.js';
import { DeliveriesTable } from './channels-deliveries.js';

/** The answer of the last Send test of a channel, in its row. */
function TestAnswer({ id }: { id: string }) {
  const test = useChannelsStore((s) => s.tests[id]);
  if (!test) return null;
  if (test.busy) return <span className="muted">Sending…</span>;
  return (
    <output className={test.ok ? undefined : 'field-error'} data-testid={`channel-test-${id}`}>
      {test.ok ? 'Sent' : 'Failed'}: {test.detail}
    </output>
  );
}

function ChannelActions({ channel }: { channel: ChannelShown }) {
  const client = useClient();
  const put = fleetChannels.useStore((s) => s.put);
  const remove = fleetChannels.useStore((s) => s.remove);
  const openEditor = fleetChannels.useStore((s) => s.openEditor);
  const test = useChannelsStore((s) => s.test);
  const busy = useChannelsStore((s) => s.tests[channel.id]?.busy ?? false);
  return (
    <div className="rule-actions">
      <DeleteEverywhere
        id={channel.id}
        name={`channel ${channel.id}`}
        question="Delete this channel for the whole fleet?"
        remove={() => remove(client, channel.id)}
      >
        <button type="button" className="button" disabled={busy} onClick={() => void test(client, channel.id)}>
          Send test
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void put(client, { ...channel, enabled: !channel.enabled })}
        >
          {channel.enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" className="button" onClick={() => openEditor({ mode: 'edit', id: channel.id })}>
          Edit
        </button>
      </DeleteEverywhere>
    </div>
  );
}

/** Where alert notifications go: the fleet's channels, a test send for each, and the outbox's deliveries. */
export function ChannelsCard() {
  const client = useClient();
  const entries = fleetChannels.useStore(fleetChannels.selectors.entries);
  const error = fleetChannels.useStore(fleetChannels.selectors.error);
  const editor = fleetChannels.useStore(fleetChannels.selectors.editor);
  const editing = fleetChannels.useStore(fleetChannels.selectors.editing);
  const openEditor = fleetChannels.useStore((s) => s.openEditor);
  const deliveriesLoaded = useChannelsStore(channelsSelectors.deliveries) !== null;

  useEffect(() => {
    void fleetChannels.useStore.getState().load(client);
    if (!deliveriesLoaded) void useChannelsStore.getState().loadDeliveries(client);
  }, [client, deliveriesLoaded]);

  const channels = (entries ?? []).flatMap((entry) => (entry.value ? [entry.value as ChannelShown] : []));
  const malformed = (entries ?? []).filter((entry) => entry.problem !== null);
  return (
    <>
      <Card
        title="Channels"
        count={entries && `${entries.length} channel${entries.length === 1 ? '' : 's'}`}
        description="Where the fleet’s alerts are sent: once for the whole fleet, by the leader."
        actions={
          <button type="button" className="button button-primary" onClick={() => openEditor({ mode: 'add' })}>
            Add channel
          </button>
        }
        errorLead="Could not load the channels"
        error={error}
        loading={entries === null}
        testId="channels-card"
      >
        <DataTable
          columns={['Channel', 'Type', 'Sends to', 'Routing', { header: 'Actions', hiddenHeader: true }]}
          empty={entries?.length === 0 && 'No channels yet: alerts show only in the consoles.'}
        >
          {channels.map((channel) => (
            <tr key={channel.id} data-channel={channel.id}>
              <td>
                <div className="alert-rule-cell">
                  <span className="alert-rule-name">{channel.name}</span>
                  <code className="muted">{channel.id}</code>
                  {!channel.enabled && <span className="muted">Disabled</span>}
                </div>
              </td>
              <td>{channelTypeLabels[channel.type]}</td>
              <td>{describeTarget(channel)}</td>
              <td>
                {channel.minSeverity} and above
                {channel.matchers.length > 0 && (
                  <code className="muted">
                    {' '}
                    {channel.matchers.map(({ name, op, value }) => `${name}${op}${value}`).join(', ')}
                  </code>
                )}
                {channel.repeatIntervalSeconds !== undefined && (
                  <span className="muted">, again every {channel.repeatIntervalSeconds / 60} min</span>
                )}
              </td>
              <td>
                <ChannelActions channel={channel} />
                <TestAnswer id={channel.id} />
              </td>
            </tr>
          ))}
          {malformed.map((entry) => (
            <tr key={entry.id}>
              <td>
                <code>{entry.id}</code>
              </td>
              <td colSpan={4} className="field-error">
                Malformed: {entry.problem}
              </td>
            </tr>
          ))}
        </DataTable>
      </Card>
      {editor?.mode === 'add' && <ChannelForm key="add" editing={null} />}
      {editing?.value && <ChannelForm key={`edit-${editing.id}`} editing={editing.value as ChannelShown} />}
      <DeliveriesTable />
    </>
  );
}
