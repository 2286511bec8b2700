import { Card } from '../../components/card.js';
import { DataTable } from '../../components/data-table.js';
import { formatDateTime, isoTime } from '../../format/time.js';
import { tasksSelectors, useTasksStore } from '../../stores/tasks-store.js';

function Moment({ epochMs, none }: { epochMs: number | null; none: string }) {
  if (epochMs === null) return <span className="muted">{none}</span>;
  return <time dateTime={isoTime(epochMs)}>{formatDateTime(epochMs)}</time>;
}

/**
 * The recurring tasks of the shown node's config and when each fires next; only for a node that has some. A failed
 * refresh keeps the last list, under the error.
 */
export function RecurringTasks() {
  const recurring = useTasksStore(tasksSelectors.recurring);
  const error = useTasksStore(tasksSelectors.recurringError);
  if (!recurring?.length) return null;
  return (
    <Card
      title="Recurring tasks"
      count={`${recurring.length} from this node’s config`}
      description="The leader fires each tick once for the fleet."
      errorLead="Could not load the recurring tasks"
      error={error}
      testId="recurring-tasks"
    >
      <DataTable columns={['Id', 'Schedule', 'Time zone', 'Type', 'Next tick', 'Last fired']}>
        {recurring.map((task) => (
          <tr key={task.id} data-testid={`recurring-${task.id}`}>
            <td>{task.id}</td>
            <td>
              <code>{task.schedule}</code>
            </td>
            <td>{task.timezone ?? 'UTC'}</td>
            <td>{task.type}</td>
            <td>
              <Moment epochMs={task.nextAt} none="none" />
            </td>
            <td>
              <Moment epochMs={task.lastFiredAt} none="never" />
            </td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}
