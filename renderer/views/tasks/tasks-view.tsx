import { useEffect } from 'react';
import { useClient } from '../../client/client-context.js';
import { ErrorNotice } from '../../components/card.js';
import { NodePicker } from '../../components/node-picker.js';
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
/**
 * Another member's `task.changed` events are not pushed to this window, so while it is shown its list, counts and
 * open task are asked for this often.
 */
const memberRefreshMs = 2000;

/** Fetches while the view is open; the event router applies this node's `task.changed` to the list. */
function useTasksRefresh(memberId: string | null) {
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
  useEffect(() => {
    if (memberId === null) return;
    const timer = setInterval(() => {
      void useTasksStore.getState().load(client);
      void useTasksStore.getState().loadDetail(client);
    }, memberRefreshMs);
    return () => clearInterval(timer);
  }, [client, memberId]);
}

export function TasksView() {
  const memberId = useTasksStore(tasksSelectors.memberId);
  useTasksRefresh(memberId);
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
  const selectMember = useTasksStore((s) => s.selectMember);
  const self = useNodesStore(nodesSelectors.self);
  const members = useNodesStore(nodesSelectors.members);

  const shown = memberId === null ? undefined : members.find((m) => m.id === memberId);
  const nodeName = memberId === null ? `${self?.name ?? 'this node'} (this node)` : (shown?.name ?? memberId);

  return (
    <ViewPage
      title="Tasks"
      lead={`The durable task queue of ${nodeName}, live: submit work, watch it run, cancel it, and replay dead letters.`}
      className="tasks-view"
    >
      <div className="toolbar tasks-toolbar" role="toolbar" aria-label="Task actions">
        <NodePicker
          members={members}
          selfId={self?.id}
          selfName={self?.name}
          memberId={memberId}
          onChange={(id) => void selectMember(client, id)}
        />
        <button type="button" className="button button-primary" onClick={() => openSubmit(true)}>
          New task
        </button>
      </div>
      <ErrorNotice lead={`Could not load the task types of ${nodeName}`} error={typesError} />
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
