import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { MaintenanceWindow, WindowSchedule } from '../../../shared/alert-lifecycle.js';
import type { LabelMatcher } from '../../../shared/label-matchers.js';
import type { RpcIssue } from '../../../shared/rpc.js';
import { useClient } from '../../client/client-context.js';
import { Card } from '../../components/card.js';
import { DeleteEverywhere } from '../../components/confirm-delete.js';
import { DataTable } from '../../components/data-table.js';
import { SelectField, TextField } from '../../components/form-fields.js';
import { Timestamp } from '../../components/timestamp.js';
import { cancelOnEscape } from '../../forms/cancel-on-escape.js';
import { fleetWindows } from '../../stores/alert-lifecycle-store.js';
import { fromLocalInput, MatchersFields, matcherText, toLocalInput } from './matchers-fields.js';

const kindOptions = [
  { value: 'once', label: 'Once' },
  { value: 'recurring', label: 'Recurring (cron)' },
] as const;

/** When a window is open, as one line. */
function ScheduleText({ schedule }: { schedule: WindowSchedule }) {
  if (schedule.kind === 'once') {
    return (
      <>
        <Timestamp epochMs={schedule.startsAt} /> – <Timestamp epochMs={schedule.endsAt} />
      </>
    );
  }
  return (
    <>
      <code>{schedule.cron}</code> for {schedule.durationMinutes} min
      {schedule.timezone ? ` (${schedule.timezone})` : ' (UTC)'}
    </>
  );
}

/** Adds or edits a maintenance window: a name, matchers (a node label, `node`, `service`, …) and when. */
function WindowForm({ editing, now, onClose }: { editing: MaintenanceWindow | null; now: number; onClose(): void }) {
  const client = useClient();
  const [id, setId] = useState(editing?.id ?? '');
  const [name, setName] = useState(editing?.name ?? '');
  const [matchers, setMatchers] = useState<LabelMatcher[]>(
    editing?.matchers ?? [{ name: 'service', op: '=', value: '' }],
  );
  const schedule = editing?.schedule;
  const [kind, setKind] = useState<WindowSchedule['kind']>(schedule?.kind ?? 'recurring');
  const [startsAt, setStartsAt] = useState(toLocalInput(schedule?.kind === 'once' ? schedule.startsAt : now));
  const [endsAt, setEndsAt] = useState(toLocalInput(schedule?.kind === 'once' ? schedule.endsAt : now + 3_600_000));
  const [cron, setCron] = useState(schedule?.kind === 'recurring' ? schedule.cron : '0 2 * * 6');
  const [duration, setDuration] = useState(String(schedule?.kind === 'recurring' ? schedule.durationMinutes : 120));
  const [timezone, setTimezone] = useState(schedule?.kind === 'recurring' ? (schedule.timezone ?? '') : '');
  const [issues, setIssues] = useState<RpcIssue[]>([]);
  const [refusal, setRefusal] = useState<string | null>(null);
  const errorOf = (path: string) => issues.find((issue) => issue.path === `value.${path}`)?.message;
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value: MaintenanceWindow = {
      id,
      name,
      matchers,
      comment: editing?.comment ?? '',
      schedule:
        kind === 'once'
          ? { kind, startsAt: fromLocalInput(startsAt), endsAt: fromLocalInput(endsAt) }
          : { kind, cron, durationMinutes: Number(duration), ...(timezone ? { timezone } : {}) },
    };
    const outcome = await fleetWindows.useStore.getState().put(client, value);
    if (outcome.ok) return onClose();
    setIssues(outcome.issues);
    setRefusal(outcome.message);
  };

  const title = editing ? `Edit maintenance window ${editing.id}` : 'New maintenance window';
  return (
    <form
      className="window-form"
      aria-label={title}
      noValidate
      onSubmit={(e) => void submit(e)}
      onKeyDown={cancelOnEscape(onClose)}
    >
      <h3 ref={headingRef} tabIndex={-1} className="form-section-title">
        {title}
      </h3>
      <div className="form-row">
        <TextField label="Id" value={id} onChange={setId} readOnly={editing !== null} error={errorOf('id')} />
        <TextField label="Name" value={name} onChange={setName} error={errorOf('name')} />
      </div>
      <MatchersFields matchers={matchers} onChange={setMatchers} errorOf={errorOf} />
      <SelectField<WindowSchedule['kind']> label="When" value={kind} options={kindOptions} onChange={setKind} />
      {kind === 'once' ? (
        <div className="form-row">
          <TextField
            label="Starts"
            type="datetime-local"
            value={startsAt}
            onChange={setStartsAt}
            error={errorOf('schedule.startsAt')}
          />
          <TextField
            label="Ends"
            type="datetime-local"
            value={endsAt}
            onChange={setEndsAt}
            error={errorOf('schedule.endsAt')}
          />
        </div>
      ) : (
        <div className="form-row">
          <TextField
            label="Cron expression"
            value={cron}
            onChange={setCron}
            hint="minute hour day month weekday"
            error={errorOf('schedule.cron')}
          />
          <TextField
            label="Duration (minutes)"
            type="number"
            min={1}
            value={duration}
            onChange={setDuration}
            error={errorOf('schedule.durationMinutes')}
          />
          <TextField
            label="Time zone"
            value={timezone}
            onChange={setTimezone}
            placeholder="UTC"
            error={errorOf('schedule.timezone')}
          />
        </div>
      )}
      {refusal && (
        <p className="notice notice-error" role="alert">
          The agent refused the window: {refusal}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary">
          Save window
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The fleet's maintenance windows: planned work that silences the alerts it selects while it is open. */
export function MaintenanceWindowsCard({ now }: { now: number }) {
  const client = useClient();
  const entries = fleetWindows.useStore(fleetWindows.selectors.entries);
  const error = fleetWindows.useStore(fleetWindows.selectors.error);
  const [editing, setEditing] = useState<MaintenanceWindow | 'new' | null>(null);
  const { remove } = fleetWindows.useStore.getState();
  const windows = (entries ?? []).flatMap((entry) => (entry.value ? [entry.value] : []));

  return (
    <Card
      title="Maintenance windows"
      count={windows.length === 1 ? '1 window' : `${windows.length} windows`}
      testId="maintenance-windows"
      errorLead="Could not load the maintenance windows"
      error={error}
      loading={entries === null && !error}
      actions={
        <button type="button" className="button" onClick={() => setEditing('new')}>
          New maintenance window
        </button>
      }
      footer={
        editing && (
          <WindowForm
            key={editing === 'new' ? 'new' : editing.id}
            editing={editing === 'new' ? null : editing}
            now={now}
            onClose={() => setEditing(null)}
          />
        )
      }
    >
      <DataTable
        className="alerts-table"
        columns={['Name', 'Matchers', 'When', { header: 'Actions', hiddenHeader: true }]}
        empty={windows.length === 0 && 'No maintenance windows.'}
      >
        {windows.map((window) => (
          <tr key={window.id} data-testid={`window-${window.id}`}>
            <td>
              <div className="alert-rule-cell">
                <span className="alert-rule-name">{window.name}</span>
                <code className="muted">{window.id}</code>
              </div>
            </td>
            <td>
              {window.matchers.map((matcher, index) => (
                <code key={index} className="matcher">
                  {matcherText(matcher)}
                </code>
              ))}
            </td>
            <td>
              <ScheduleText schedule={window.schedule} />
            </td>
            <td>
              <div className="row-actions">
                <DeleteEverywhere
                  id={window.id}
                  name={`maintenance window ${window.id}`}
                  question="Delete this window on every node?"
                  remove={() => remove(client, window.id)}
                >
                  <button
                    type="button"
                    className="button"
                    aria-label={`Edit maintenance window ${window.id}`}
                    onClick={() => setEditing(window)}
                  >
                    Edit
                  </button>
                </DeleteEverywhere>
              </div>
            </td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}
