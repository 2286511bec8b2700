import type { Silence } from '../../../shared/alert-lifecycle.js';
import { useClient } from '../../client/client-context.js';
import { Card } from '../../components/card.js';
import { DeleteEverywhere } from '../../components/confirm-delete.js';
import { DataTable } from '../../components/data-table.js';
import { StateBadge, type Tone } from '../../components/state-badge.js';
import { Timestamp } from '../../components/timestamp.js';
import { fleetSilences, useAlertLifecycleStore } from '../../stores/alert-lifecycle-store.js';
import { matcherText } from './matchers-fields.js';

type SilenceState = 'active' | 'scheduled' | 'expired';

const silenceState = (silence: Silence, now: number): SilenceState =>
  now < silence.startsAt ? 'scheduled' : now < silence.endsAt ? 'active' : 'expired';

const stateShown: Record<SilenceState, { label: string; tone: Tone }> = {
  active: { label: 'Active', tone: 'working' },
  scheduled: { label: 'Scheduled', tone: 'waiting' },
  expired: { label: 'Expired', tone: 'aside' },
};

/**
 * The fleet's silences: what each matches, when, who made it and why; edit, expire now (it ends at once and stays
 * listed) or delete. Silenced alerts are still raised and shown, marked silenced; channels do not tell of them.
 */
export function SilencesCard({ now }: { now: number }) {
  const client = useClient();
  const entries = fleetSilences.useStore(fleetSilences.selectors.entries);
  const error = fleetSilences.useStore(fleetSilences.selectors.error);
  const openEditor = useAlertLifecycleStore((s) => s.openSilenceEditor);
  const { put, remove } = fleetSilences.useStore.getState();
  const silences = (entries ?? []).flatMap((entry) => (entry.value ? [entry.value] : []));

  return (
    <Card
      title="Silences"
      count={silences.length === 1 ? '1 silence' : `${silences.length} silences`}
      testId="silences"
      errorLead="Could not load the silences"
      error={error}
      loading={entries === null && !error}
      actions={
        <button
          type="button"
          className="button"
          onClick={() =>
            openEditor({
              matchers: [{ name: 'node', op: '=', value: '' }],
              startsAt: now,
              endsAt: now + 3_600_000,
              comment: '',
            })
          }
        >
          New silence
        </button>
      }
    >
      <DataTable
        className="alerts-table"
        columns={[
          'Matchers',
          'State',
          'Starts',
          'Ends',
          'Created by',
          'Comment',
          { header: 'Actions', hiddenHeader: true },
        ]}
        empty={silences.length === 0 && 'No silences. Silence an alert from the list, or add one here.'}
      >
        {silences.map((silence) => {
          const state = silenceState(silence, now);
          return (
            <tr key={silence.id} data-testid={`silence-${silence.id}`} data-state={state}>
              <td>
                {silence.matchers.map((matcher, index) => (
                  <code key={index} className="matcher">
                    {matcherText(matcher)}
                  </code>
                ))}
              </td>
              <td>
                <StateBadge kind="silence-state" state={state} tone={stateShown[state].tone}>
                  {stateShown[state].label}
                </StateBadge>
              </td>
              <td>
                <Timestamp epochMs={silence.startsAt} />
              </td>
              <td>
                <Timestamp epochMs={silence.endsAt} />
              </td>
              <td>{silence.createdBy}</td>
              <td>{silence.comment}</td>
              <td>
                <div className="row-actions">
                  <DeleteEverywhere
                    id={silence.id}
                    name={`silence ${silence.id}`}
                    question="Delete this silence on every node?"
                    remove={() => remove(client, silence.id)}
                  >
                    <button
                      type="button"
                      className="button"
                      aria-label={`Edit silence ${silence.id}`}
                      onClick={() => openEditor(silence)}
                    >
                      Edit
                    </button>
                    {state !== 'expired' && (
                      <button
                        type="button"
                        className="button"
                        aria-label={`Expire silence ${silence.id} now`}
                        onClick={() =>
                          void put(client, { ...silence, endsAt: Math.max(Date.now(), silence.startsAt + 1) })
                        }
                      >
                        Expire now
                      </button>
                    )}
                  </DeleteEverywhere>
                </div>
              </td>
            </tr>
          );
        })}
      </DataTable>
    </Card>
  );
}
