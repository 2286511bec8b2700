import { useEffect } from 'react';
import { useClient } from '../../client/client-context.js';
import { ErrorNotice } from '../../components/card.js';
import { ViewPage } from '../../components/view-page.js';
import { nodesSelectors, useNodesStore } from '../../stores/nodes-store.js';
import { tasksSelectors, useTasksStore } from '../../stores/tasks-store.js';
import { RecurringTasks } from './recurring-tasks.js';
import { TaskCharts } from './task-charts.js';
import { TaskCounts } from './task-counts.js';
import { TaskDetail } from './task-detail.js';
import { TaskFilters } from './task-filters.js';
import { TaskList } from './task-list.js';
import { TaskSubmitForm } from './task-submit-form.js';
import './tasks-view.css';

/** Throughput and recurring ticks move on without an event, so the open view asks for them this often. */
const statsRefreshMs = 10_000;

/** Fetches while the view is open; the event router applies every `task.changed` to the list. */
function useTasksRefresh() {
  const client = useClient();
  useEffect(() => {
    const tasks = useTasksStore.getState();
    void tasks.load(client);
    void tasks.loadTypes(client);
    void tasks.loadRecurring(client);
    const timer = setInterval(() => {
      void useTasksStore.getState().loadStats(client);
      void useTasksStore.getState().loadRecurring(client);
    }, statsRefreshMs);
    return () => clearInterval(timer);
  }, [client]);
}

export function TasksView() {
  useTasksRefresh();
  const client = useClient();
  const stats = useTasksStore(tasksSelectors.stats);
  const statsError = useTasksStore(tasksSelectors.statsError);
  const typesError = useTasksStore(tasksSelectors.typesError);
  const types = useTasksStore(tasksSelectors.types);
  const filter = useTasksStore(tasksSelectors.filter);
  const selectedId = useTasksStore(tasksSelectors.selectedId);
  const submitOpen = useTasksStore(tasksSelectors.submitOpen);
  const setFilter = useTasksStore((s) => s.setFilter);
  const openSubmit = useTasksStore((s) => s.openSubmit);
  const members = useNodesStore(nodesSelectors.members);

  return (
    <ViewPage
      title="Tasks"
      lead="This node’s durable task queue, live: submit work, watch it run, cancel it, and replay dead letters."
      className="tasks-view"
    >
      <div className="toolbar" role="toolbar" aria-label="Task actions">
        <button type="button" className="button button-primary" onClick={() => openSubmit(true)}>
          New task
        </button>
      </div>
      <ErrorNotice lead="Could not load the task types of this node" error={typesError} />
      {submitOpen && <TaskSubmitForm />}

      <TaskCounts stats={stats} shown={filter.state} onShow={(state) => void setFilter(client, { state })} />
      <TaskFilters
        filter={filter}
        types={types ?? []}
        members={members}
        onChange={(change) => void setFilter(client, change)}
      />
      <div className={selectedId === null ? 'tasks-layout' : 'tasks-layout has-detail'}>
        <TaskList compact={selectedId !== null} />
        <TaskDetail />
      </div>
      <TaskCharts stats={stats} error={statsError} />
      <RecurringTasks />
    </ViewPage>
  );
}
