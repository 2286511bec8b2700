import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FleetdeckClient, type RpcTransport } from '../../../../shared/client.js';
import { TaskState, type Task, type TaskStats } from '../../../../shared/tasks.js';
import { listQueryOf, taskPageSize, useTasksStore, type TaskFilter } from '../../../../renderer/stores/tasks-store.js';
import { recordingClient, type Answers } from '../../../support/recording-client.js';

const task = (id: string, change: Partial<Task> = {}): Task => ({
  id,
  type: 'sleep',
  payload: { ms: 100 },
  priority: 0,
  maxAttempts: 3,
  timeoutMs: 60_000,
  backoff: { baseMs: 1000, capMs: 60_000 },
  notBefore: null,
  idempotencyKey: null,
  group: 'default',
  target: 'local',
  state: 'queued',
  attemptCount: 0,
  attempts: [],
  runAt: 1_000,
  result: null,
  error: null,
  progress: 0,
  node: null,
  logs: [],
  createdAt: 1_000,
  updatedAt: 1_000,
  finishedAt: null,
  ...change,
});
const summary = ({ attempts: _attempts, logs: _logs, ...rest }: Task) => rest;
const stats: TaskStats = {
  counts: Object.fromEntries(TaskState.options.map((state) => [state, 0])) as TaskStats['counts'],
  throughput: [],
  windowMs: 3_600_000,
  bucketMs: 60_000,
};

describe('the tasks store', () => {
  beforeEach(() => useTasksStore.getState().reset());

  it('asks the agent only for the filters that are set, trimmed', () => {
    const filter: TaskFilter = { state: 'dead', type: null, node: 'node-a', group: '  ', text: ' disk full ' };
    expect(listQueryOf(filter)).toEqual({ limit: 200, state: 'dead', node: 'node-a', text: 'disk full' });
  });

  it('updates a listed row in place from task.changed; only a new state brings a fetch of the counts', async () => {
    const { client, calls, called } = recordingClient({
      'tasks.list': () => [summary(task('t1')), summary(task('t2'))],
      'tasks.stats': () => stats,
    });
    await useTasksStore.getState().load(client);
    calls.length = 0;

    useTasksStore
      .getState()
      .taskChanged(client, { id: 't1', type: 'sleep', state: 'running', progress: 0, node: 'n1' });
    expect(useTasksStore.getState().tasks.map((t) => [t.id, t.state, t.node])).toEqual([
      ['t1', 'running', 'n1'],
      ['t2', 'queued', null],
    ]);
    expect(called('tasks.stats')).toHaveLength(1);
    await vi.waitFor(() => expect(useTasksStore.getState().stats).toEqual(stats));

    calls.length = 0;
    useTasksStore
      .getState()
      .taskChanged(client, { id: 't1', type: 'sleep', state: 'running', progress: 40, node: 'n1' });
    expect(useTasksStore.getState().tasks[0]?.progress).toBe(40);
    expect(calls).toEqual([]);
  });

  it('asks for the stats over the range picked, an hour until then, and keeps the range for another member', async () => {
    const { client, called } = recordingClient({
      'tasks.list': () => [],
      'tasks.stats': (params) => ({ ...stats, windowMs: params.windowMs }),
    });
    await useTasksStore.getState().load(client);
    await useTasksStore.getState().selectStatsRange(client, 7 * 86_400_000);
    expect(called('tasks.stats').map((call) => call.params)).toEqual([
      { windowMs: 3_600_000 },
      { windowMs: 7 * 86_400_000 },
    ]);
    expect(useTasksStore.getState().stats?.windowMs).toBe(7 * 86_400_000);
    await useTasksStore.getState().selectMember(client, 'other-node');
    expect(useTasksStore.getState().statsRangeMs).toBe(7 * 86_400_000);
  });

  it('fetches the list for a task it does not have, unless the filter rules that task out', async () => {
    const { client, calls, called } = recordingClient({ 'tasks.list': () => [], 'tasks.stats': () => stats });
    await useTasksStore.getState().setFilter(client, { state: 'dead' });
    calls.length = 0;

    useTasksStore
      .getState()
      .taskChanged(client, { id: 'new', type: 'sleep', state: 'queued', progress: 0, node: null });
    expect(called('tasks.list')).toEqual([]);
    useTasksStore.getState().taskChanged(client, { id: 'new', type: 'sleep', state: 'dead', progress: 0, node: 'n1' });
    expect(called('tasks.list')).toEqual([{ method: 'tasks.list', params: { limit: 200, state: 'dead' } }]);
  });

  it('fetches the open task again on its own events only, and shows the detail in its row', async () => {
    let current = task('t1', { state: 'running', logs: [{ at: 2_000, line: 'step 1' }] });
    const { client, calls, called } = recordingClient({
      'tasks.list': () => [summary(task('t1')), summary(task('t2'))],
      'tasks.stats': () => stats,
      'tasks.get': () => current,
    });
    await useTasksStore.getState().load(client);
    await useTasksStore.getState().select(client, 't1');
    expect(useTasksStore.getState().detail?.logs).toEqual([{ at: 2_000, line: 'step 1' }]);
    calls.length = 0;

    useTasksStore.getState().taskChanged(client, { id: 't2', type: 'sleep', state: 'queued', progress: 0, node: null });
    expect(called('tasks.get')).toEqual([]);
    current = task('t1', { state: 'succeeded', progress: 100, result: { sleptMs: 100 } });
    useTasksStore
      .getState()
      .taskChanged(client, { id: 't1', type: 'sleep', state: 'succeeded', progress: 100, node: 'n1' });
    expect(called('tasks.get')).toEqual([{ method: 'tasks.get', params: { id: 't1' } }]);
    await vi.waitFor(() => expect(useTasksStore.getState().detail?.result).toEqual({ sleptMs: 100 }));
    expect(useTasksStore.getState().tasks[0]).toMatchObject({ id: 't1', state: 'succeeded', result: { sleptMs: 100 } });
  });

  it('keeps ticked the tasks a bulk action could not change, and says why', async () => {
    const { client, called } = recordingClient({
      'tasks.list': () => [summary(task('t1')), summary(task('t2'))],
      'tasks.stats': () => stats,
      'tasks.bulk': () => ({
        outcomes: [
          { id: 't1', state: 'queued', error: null },
          { id: 't2', state: null, error: 'task t2 is running elsewhere' },
        ],
      }),
    });
    await useTasksStore.getState().load(client);
    useTasksStore.getState().setChecked(['t1', 't2'], true);
    await useTasksStore.getState().bulk(client, 'retry');
    expect(called('tasks.bulk')).toEqual([{ method: 'tasks.bulk', params: { action: 'retry', ids: ['t1', 't2'] } }]);
    expect(useTasksStore.getState().checkedIds).toEqual(['t2']);
    expect(useTasksStore.getState().bulkProblems).toEqual(['t2: task t2 is running elsewhere']);
  });

  /** A queue of `count` tasks, newest first, answering `tasks.list` a page at a time as the agent does. */
  const queueOf = (count: number) => {
    const all = Array.from({ length: count }, (_, index) =>
      summary(task(`t${String(count - index).padStart(4, '0')}`)),
    );
    return (params: Record<string, unknown>) => {
      const from = params.before === undefined ? 0 : all.findIndex((t) => t.id === params.before) + 1;
      return all.slice(from, from + Number(params.limit));
    };
  };

  it('pages back to older tasks while the last page was full, with the filter', async () => {
    const list = queueOf(taskPageSize + 5);
    const { client, called } = recordingClient({ 'tasks.list': list, 'tasks.stats': () => stats });
    await useTasksStore.getState().setFilter(client, { type: 'sleep' });
    expect(useTasksStore.getState()).toMatchObject({ olderLeft: true });
    const last = useTasksStore.getState().tasks.at(-1)!.id;

    await useTasksStore.getState().loadOlder(client);
    expect(called('tasks.list').at(-1)?.params).toEqual({ limit: taskPageSize, type: 'sleep', before: last });
    const { tasks, olderLeft } = useTasksStore.getState();
    expect(tasks).toHaveLength(taskPageSize + 5);
    expect(tasks.at(-1)?.id).toBe('t0001');
    expect(olderLeft).toBe(false);
  });

  it('keeps the older tasks paged in when the first page is fetched again, without a gap or a repeat', async () => {
    let count = taskPageSize + 5;
    const { client } = recordingClient({
      'tasks.list': (params) => queueOf(count)(params),
      'tasks.stats': () => stats,
    });
    await useTasksStore.getState().load(client);
    await useTasksStore.getState().loadOlder(client);
    count += 1;
    useTasksStore
      .getState()
      .taskChanged(client, { id: 't0206', type: 'sleep', state: 'queued', progress: 0, node: null });
    await vi.waitFor(() => expect(useTasksStore.getState().tasks[0]?.id).toBe('t0206'));
    const ids = useTasksStore.getState().tasks.map((t) => t.id);
    expect(ids).toHaveLength(taskPageSize + 6);
    expect(new Set(ids).size).toBe(ids.length);

    // Another filter starts from its first page again.
    await useTasksStore.getState().setFilter(client, { group: 'other' });
    expect(useTasksStore.getState().tasks).toHaveLength(taskPageSize);
  });

  /** Answers a member gives through `cluster.call`, by the method relayed. */
  const memberAnswers = (answers: Answers) => ({
    'cluster.call': (params: Record<string, unknown>) => {
      const answer = answers[params.method as string];
      if (!answer) throw new Error(`no ${String(params.method)} on ${String(params.memberId)}`);
      return answer(params.params as Record<string, unknown>);
    },
  });

  it('asks another member through cluster.call for every tasks call, starting its queue afresh', async () => {
    const types = [{ type: 'sleep', description: 'Waits' }];
    const { client, calls } = recordingClient({
      'tasks.list': () => [summary(task('here-1'))],
      'tasks.stats': () => stats,
      'tasks.get': () => task('here-1'),
      ...memberAnswers({
        'tasks.list': () => [summary(task('there-1', { node: 'node-b' }))],
        'tasks.stats': () => stats,
        'tasks.types': () => types,
        'tasks.recurring': () => [],
        'tasks.submit': () => ({ id: 'there-2', deduplicated: false }),
        'tasks.get': (params) => task(String(params.id), { node: 'node-b' }),
        'tasks.cancel': (params) => ({ id: params.id, state: 'cancelled' }),
        'tasks.bulk': () => ({ outcomes: [{ id: 'there-1', state: 'queued', error: null }] }),
      }),
    });
    await useTasksStore.getState().setFilter(client, { type: 'sleep' });
    await useTasksStore.getState().select(client, 'here-1');
    useTasksStore.getState().setChecked(['here-1'], true);
    calls.length = 0;

    await useTasksStore.getState().selectMember(client, 'node-b');
    expect(useTasksStore.getState()).toMatchObject({
      memberId: 'node-b',
      filter: { type: 'sleep' },
      tasks: [{ id: 'there-1', node: 'node-b' }],
      selectedId: null,
      detail: null,
      checkedIds: [],
      olderLeft: false,
      types,
      recurring: [],
    });
    const { type, payload, priority, maxAttempts, timeoutMs, backoff, group, target } = task('request');
    await useTasksStore
      .getState()
      .submit(client, { type, payload, priority, maxAttempts, timeoutMs, backoff, group, target });
    expect(useTasksStore.getState().detail).toMatchObject({ id: 'there-2', node: 'node-b' });
    expect((await useTasksStore.getState().cancel(client, 'there-2')).ok).toBe(true);
    useTasksStore.getState().setChecked(['there-1'], true);
    await useTasksStore.getState().bulk(client, 'retry');
    await vi.waitFor(() => expect(calls.at(-1)?.method).toBe('cluster.call'));

    expect(new Set(calls.map((call) => call.method))).toEqual(new Set(['cluster.call']));
    expect(new Set(calls.map((call) => call.params.memberId))).toEqual(new Set(['node-b']));
    const relayed = new Set(calls.map((call) => call.params.method));
    expect(relayed).toEqual(
      new Set([
        'tasks.list',
        'tasks.stats',
        'tasks.types',
        'tasks.recurring',
        'tasks.submit',
        'tasks.get',
        'tasks.cancel',
        'tasks.bulk',
      ]),
    );
    expect(calls.find((call) => call.params.method === 'tasks.list')?.params.params).toEqual({
      limit: taskPageSize,
      type: 'sleep',
    });

    calls.length = 0;
    await useTasksStore.getState().selectMember(client, null);
    expect(useTasksStore.getState().tasks.map((t) => t.id)).toEqual(['here-1']);
    expect(calls.some((call) => call.method === 'cluster.call')).toBe(false);
  });

  it('ignores this node’s task events while another member is shown', async () => {
    const { client, calls } = recordingClient(
      memberAnswers({ 'tasks.list': () => [summary(task('there-1'))], 'tasks.stats': () => stats }),
    );
    await useTasksStore.getState().selectMember(client, 'node-b');
    await useTasksStore.getState().select(client, 'there-1');
    calls.length = 0;

    useTasksStore
      .getState()
      .taskChanged(client, { id: 'there-1', type: 'sleep', state: 'running', progress: 50, node: 'n1' });
    useTasksStore
      .getState()
      .taskChanged(client, { id: 'here-9', type: 'sleep', state: 'queued', progress: 0, node: null });
    expect(useTasksStore.getState().tasks).toMatchObject([{ id: 'there-1', state: 'queued', progress: 0 }]);
    expect(calls).toEqual([]);
  });

  it('drops an answer about the previous node that arrives after the switch', async () => {
    let answerHere: (page: unknown) => void = () => {};
    const calls: string[] = [];
    const transport: RpcTransport = {
      call(method, params) {
        calls.push(method);
        if (method === 'tasks.list')
          return new Promise((resolve) => (answerHere = (page) => resolve({ ok: true, result: page })));
        const relayed = (params as { method?: string }).method;
        const result = relayed === 'tasks.list' ? [summary(task('there-1'))] : relayed === 'tasks.stats' ? stats : [];
        return Promise.resolve({ ok: true, result });
      },
      subscribe: () => () => {},
    };
    const client = new FleetdeckClient(transport);
    const loading = useTasksStore.getState().setFilter(client, { group: 'e2e' });
    const switching = useTasksStore.getState().selectMember(client, 'node-b');
    answerHere([summary(task('here-1'))]);
    await Promise.all([loading, switching]);
    expect(useTasksStore.getState().tasks.map((t) => t.id)).toEqual(['there-1']);
    expect(calls.filter((method) => method === 'tasks.list')).toHaveLength(1);
  });

  it('loads the recurring tasks of the node, or says why it could not', async () => {
    const recurring = [
      { id: 'nightly', schedule: '0 3 * * *', timezone: null, type: 'sleep', nextAt: 5_000, lastFiredAt: null },
    ];
    const { client } = recordingClient({ 'tasks.recurring': () => recurring });
    await useTasksStore.getState().loadRecurring(client);
    expect(useTasksStore.getState()).toMatchObject({ recurring, recurringError: null });

    const failing = recordingClient({});
    await useTasksStore.getState().loadRecurring(failing.client);
    expect(useTasksStore.getState().recurringError).toBe('no tasks.recurring here');
  });
});
