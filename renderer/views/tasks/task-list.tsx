import type { TaskSummary } from '../../../shared/tasks.js';
import { useClient } from '../../client/client-context.js';
import { Card } from '../../components/card.js';
import { DataTable, type ColumnSpec } from '../../components/data-table.js';
import { Timestamp } from '../../components/timestamp.js';
import { formatCount } from '../../format/numbers.js';
import { tasksSelectors, useTasksStore } from '../../stores/tasks-store.js';
import { TaskProgress, TaskStateBadge } from './task-state.js';

/** Ids start with their time, so tasks submitted together share a prefix: the list shows their random end. */
const shortId = (id: string) => (id.length > 12 ? `…${id.slice(-8)}` : id);

function BulkActions({ checked }: { checked: readonly string[] }) {
  const client = useClient();
  const bulk = useTasksStore((s) => s.bulk);
  const setChecked = useTasksStore((s) => s.setChecked);
  if (checked.length === 0) return null;
  const count = checked.length === 1 ? '1 task' : `${formatCount(checked.length)} tasks`;
  return (
    <div className="task-bulk" role="group" aria-label="Selected tasks">
      <span className="muted">{count} selected</span>
      <button type="button" className="button" onClick={() => void bulk(client, 'retry')}>
        Retry selected
      </button>
      <button type="button" className="button button-danger-quiet" onClick={() => void bulk(client, 'cancel')}>
        Cancel selected
      </button>
      <button type="button" className="button button-quiet" onClick={() => setChecked(checked, false)}>
        Clear selection
      </button>
    </div>
  );
}

interface RowProps {
  task: TaskSummary;
  selected: boolean;
  checked: boolean;
  /** Beside an open detail: only what tells the tasks apart, the detail has the rest. */
  compact: boolean;
}

function TaskRow({ task, selected, checked, compact }: RowProps) {
  const client = useClient();
  const select = useTasksStore((s) => s.select);
  const setChecked = useTasksStore((s) => s.setChecked);
  return (
    <tr data-testid={`task-row-${task.id}`} data-state={task.state} className={selected ? 'is-selected' : undefined}>
      <td>
        <input
          type="checkbox"
          aria-label={`Select ${task.type} ${task.id}`}
          checked={checked}
          onChange={(event) => setChecked([task.id], event.target.checked)}
        />
      </td>
      <td>
        <button
          type="button"
          className="task-open"
          aria-current={selected ? 'true' : undefined}
          onClick={() => void select(client, task.id)}
        >
          <span className="task-type">{task.type}</span>
          <code className="muted" title={task.id}>
            {shortId(task.id)}
          </code>
        </button>
      </td>
      <td>
        <span className="task-state-cell">
          <TaskStateBadge state={task.state} />
          {task.state === 'running' && (
            <TaskProgress percent={task.progress} label={`Progress of ${task.type} ${task.id}`} />
          )}
        </span>
      </td>
      <td className="numeric">{`${task.attemptCount} of ${task.maxAttempts}`}</td>
      {!compact && <td className="task-node">{task.node ?? <span className="muted">—</span>}</td>}
      {!compact && <td>{task.group}</td>}
      {!compact && (
        <td>
          <Timestamp epochMs={task.createdAt} />
        </td>
      )}
      {!compact && (
        <td className="task-error-cell" title={task.error ?? undefined}>
          {task.error}
        </td>
      )}
    </tr>
  );
}

/** The shown node's tasks as filtered, newest first, each opening its detail; ticked ones take bulk actions. */
export function TaskList({ compact }: { compact: boolean }) {
  const tasks = useTasksStore(tasksSelectors.tasks);
  const loadedAt = useTasksStore(tasksSelectors.listLoadedAt);
  const error = useTasksStore(tasksSelectors.listError);
  const selectedId = useTasksStore(tasksSelectors.selectedId);
  const checkedIds = useTasksStore(tasksSelectors.checkedIds);
  const bulkProblems = useTasksStore(tasksSelectors.bulkProblems);
  const olderLeft = useTasksStore(tasksSelectors.olderLeft);
  const olderLoading = useTasksStore(tasksSelectors.olderLoading);
  const setChecked = useTasksStore((s) => s.setChecked);
  const loadOlder = useTasksStore((s) => s.loadOlder);
  const client = useClient();
  const ids = tasks.map((task) => task.id);
  const checked = new Set(checkedIds);
  const allChecked = ids.length > 0 && ids.every((id) => checked.has(id));

  const columns: (ColumnSpec | false)[] = [
    {
      header: (
        <input
          type="checkbox"
          aria-label="Select every task shown"
          checked={allChecked}
          onChange={(event) => setChecked(ids, event.target.checked)}
        />
      ),
    },
    'Task',
    'State',
    { header: 'Attempts', className: 'numeric' },
    !compact && 'Node',
    !compact && 'Group',
    !compact && 'Submitted',
    !compact && 'Last error',
  ];

  return (
    <Card
      title="Tasks"
      count={loadedAt !== null && `${formatCount(tasks.length)} shown, newest first`}
      actions={<BulkActions checked={checkedIds} />}
      errorLead="Could not load the tasks"
      error={error}
      loading={loadedAt === null}
      className="task-list-card"
      testId="task-list"
      footer={
        olderLeft && (
          <button
            type="button"
            className="button task-older"
            disabled={olderLoading}
            onClick={() => void loadOlder(client)}
          >
            Older tasks
          </button>
        )
      }
    >
      {bulkProblems.length > 0 && (
        <div className="notice notice-error" role="alert">
          <p>Not every selected task could be changed:</p>
          <ul className="issue-list">
            {bulkProblems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      <DataTable
        className="task-table"
        columns={columns.filter((column) => column !== false)}
        empty={tasks.length === 0 && 'No tasks match. Submit one, or change the filters.'}
      >
        {tasks.map((task) => (
          <TaskRow
            key={task.id}
            task={task}
            selected={task.id === selectedId}
            checked={checked.has(task.id)}
            compact={compact}
          />
        ))}
      </DataTable>
    </Card>
  );
}
