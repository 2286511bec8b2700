import { Fragment, useEffect, useState } from 'react';
import type { Task, TaskState } from '../../../shared/tasks.js';
import { useClient } from '../../client/client-context.js';
import type { Outcome } from '../../client/outcome.js';
import { Card, ErrorNotice } from '../../components/card.js';
import { DataTable } from '../../components/data-table.js';
import { Facts } from '../../components/facts.js';
import { Timestamp } from '../../components/timestamp.js';
import { formatMs } from '../../format/numbers.js';
import { tasksSelectors, useTasksStore } from '../../stores/tasks-store.js';
import { isFinished, TaskProgress, TaskStateBadge } from './task-state.js';

/** Log lines are not pushed, so the detail of an unfinished task is fetched this often. */
const liveMs = 1000;

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** What `tasks.retry` does to a task in each state it takes. */
const retryLabels: Partial<Record<TaskState, string>> = {
  dead: 'Replay dead letter',
  cancelled: 'Retry',
  retrying: 'Retry now',
};

/** Cancel for a task still to finish; retry for one `tasks.retry` takes, which replays a dead letter. */
function TaskActions({ task }: { task: Task }) {
  const client = useClient();
  const cancel = useTasksStore((s) => s.cancel);
  const retry = useTasksStore((s) => s.retry);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const run = async (action: () => Promise<Outcome<unknown>>) => {
    setBusy(true);
    const outcome = await action();
    setBusy(false);
    setRefusal(outcome.ok ? null : outcome.message);
  };
  const retryLabel = retryLabels[task.state];
  return (
    <div className="task-actions">
      {retryLabel && (
        <button type="button" className="button" disabled={busy} onClick={() => void run(() => retry(client, task.id))}>
          {retryLabel}
        </button>
      )}
      {!isFinished(task.state) && (
        <button
          type="button"
          className="button button-danger"
          disabled={busy}
          onClick={() => void run(() => cancel(client, task.id))}
        >
          Cancel task
        </button>
      )}
      <ErrorNotice lead="The agent refused" error={refusal} />
    </div>
  );
}

/** Every attempt, oldest first; a failed one's error on a line of its own below it. */
function Attempts({ task }: { task: Task }) {
  return (
    <DataTable
      className="task-attempts"
      testId="task-attempts"
      columns={[
        { header: '#', className: 'numeric' },
        'Node',
        'Started',
        'Ended',
        { header: 'Took', className: 'numeric' },
      ]}
      empty={task.attempts.length === 0 && 'No attempt yet.'}
    >
      {task.attempts.map((attempt) => (
        <Fragment key={attempt.number}>
          <tr
            data-testid={`task-attempt-${attempt.number}`}
            className={attempt.error === null ? undefined : 'has-error'}
          >
            <td className="numeric">{attempt.number}</td>
            <td className="task-node">{attempt.node}</td>
            <td>
              <Timestamp epochMs={attempt.startedAt} />
            </td>
            <td>{attempt.endedAt === null ? 'running' : <Timestamp epochMs={attempt.endedAt} />}</td>
            <td className="numeric">{attempt.endedAt === null ? '' : formatMs(attempt.endedAt - attempt.startedAt)}</td>
          </tr>
          {attempt.error !== null && (
            <tr className="task-attempt-error" data-testid={`task-attempt-${attempt.number}-error`}>
              <td colSpan={5}>{attempt.error}</td>
            </tr>
          )}
        </Fragment>
      ))}
    </DataTable>
  );
}

function TaskFacts({ task }: { task: Task }) {
  const waiting = task.state === 'queued' || task.state === 'scheduled' || task.state === 'retrying';
  return (
    <Facts
      className="facts facts-columns task-facts"
      facts={[
        { label: 'State', value: <TaskStateBadge state={task.state} />, testId: 'task-detail-state' },
        {
          label: 'Attempts',
          value: `${task.attemptCount} of ${task.maxAttempts}`,
          testId: 'task-detail-attempts',
        },
        { label: 'Node', value: task.node ?? '—' },
        { label: 'Target', value: <code>{task.target}</code> },
        { label: 'Group', value: task.group },
        { label: 'Priority', value: task.priority },
        { label: 'Timeout', value: formatMs(task.timeoutMs) },
        { label: 'Backoff', value: `${formatMs(task.backoff.baseMs)} to ${formatMs(task.backoff.capMs)}` },
        { label: 'Submitted', value: <Timestamp epochMs={task.createdAt} /> },
        waiting && { label: 'Runs from', value: <Timestamp epochMs={task.runAt} /> },
        task.finishedAt !== null && { label: 'Finished', value: <Timestamp epochMs={task.finishedAt} /> },
        task.idempotencyKey !== null && { label: 'Idempotency key', value: <code>{task.idempotencyKey}</code> },
      ]}
    />
  );
}

/** One task: its state and progress, every attempt, its logs, payload and result, and cancel or retry. */
export function TaskDetail() {
  const client = useClient();
  const selectedId = useTasksStore(tasksSelectors.selectedId);
  const task = useTasksStore(tasksSelectors.detail);
  const error = useTasksStore(tasksSelectors.detailError);
  const loadDetail = useTasksStore((s) => s.loadDetail);
  const select = useTasksStore((s) => s.select);
  const live = task !== null && !isFinished(task.state);

  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => void loadDetail(client), liveMs);
    return () => clearInterval(timer);
  }, [client, live, loadDetail]);

  if (selectedId === null) return null;
  return (
    <Card
      title={task ? `${task.type} task` : 'Task'}
      description={<code data-testid="task-detail-id">{selectedId}</code>}
      actions={
        <button type="button" className="button button-quiet" onClick={() => void select(client, null)}>
          Close
        </button>
      }
      errorLead="Could not load the task"
      error={error}
      loading={task === null}
      className="task-detail"
      testId="task-detail"
    >
      {task && (
        <>
          <div className="task-detail-head">
            <TaskProgress percent={task.progress} label="Progress" />
            <TaskActions key={task.id} task={task} />
          </div>
          <TaskFacts task={task} />
          {task.error !== null && (
            <p className="notice notice-error" data-testid="task-detail-error">
              Last error: {task.error}
            </p>
          )}
          <h3 className="task-section-title">Attempts</h3>
          <Attempts task={task} />
          <h3 className="task-section-title">Logs</h3>
          {task.logs.length === 0 ? (
            <p className="muted">No log lines{live ? ' yet' : ''}.</p>
          ) : (
            <pre className="task-logs" data-testid="task-logs">
              {task.logs.map((line, index) => (
                <span key={index} className="task-log-line">
                  <Timestamp epochMs={line.at} /> {line.line}
                  {'\n'}
                </span>
              ))}
            </pre>
          )}
          <div className="task-json-columns">
            <div>
              <h3 className="task-section-title">Payload</h3>
              <pre className="task-json">{json(task.payload)}</pre>
            </div>
            <div>
              <h3 className="task-section-title">Result</h3>
              {task.result === null ? (
                <p className="muted">{task.state === 'succeeded' ? 'No result.' : 'None yet.'}</p>
              ) : (
                <pre className="task-json" data-testid="task-result">
                  {json(task.result)}
                </pre>
              )}
            </div>
          </div>
        </>
      )}
    </Card>
  );
}
