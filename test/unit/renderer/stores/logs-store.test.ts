import { beforeEach, describe, expect, it } from 'vitest';
import type { LogMatch } from '../../../../shared/log-patterns.js';
import { emptyLogsRoute, useLogsStore } from '../../../../renderer/stores/logs-store.js';
import { waitFor } from '../../../support/poll.js';
import { recordingClient } from '../../../support/recording-client.js';

const at = Date.UTC(2026, 11, 3, 14, 0);

/** An agent whose stored matches are `stored` (oldest first), answered newest first as logs.matches does. */
function agent(stored: LogMatch[]) {
  return recordingClient({
    'logs.patterns.list': () => [],
    'logs.sources': () => [],
    'logs.matches': (params) => ({
      matches: stored
        .filter((match) => match.id < ((params.beforeId as number | undefined) ?? Infinity))
        .reverse()
        .slice(0, params.limit as number),
    }),
  });
}

const match = (id: number): LogMatch => ({
  id,
  patternId: 'errors',
  source: 'app-log',
  line: `line ${id}`,
  at: at + id,
});
const shown = () => useLogsStore.getState().lines.map((line) => line.id);

describe('the Logs view store', () => {
  beforeEach(() => useLogsStore.getState().reset());

  it("asks another member through the relay, with the route's filters and window", async () => {
    const { client, called } = agent([]);
    const route = { ...emptyLogsRoute, memberId: 'db-1', source: 'app-log', severity: 'critical' as const, from: at };
    await useLogsStore.getState().show(client, route);
    expect(called('logs.matches')).toEqual([]);
    expect(called('cluster.call').find((call) => call.params.method === 'logs.matches')?.params).toEqual({
      memberId: 'db-1',
      method: 'logs.matches',
      params: { source: 'app-log', severity: 'critical', from: at, limit: 50 },
    });
  });

  it('pages back with the same filters', async () => {
    const { client, called } = agent(Array.from({ length: 60 }, (_, i) => match(i + 1)));
    await useLogsStore.getState().show(client, { ...emptyLogsRoute, patternId: 'errors', to: at + 100 });
    expect(shown()).toEqual(Array.from({ length: 50 }, (_, i) => 60 - i));
    expect(useLogsStore.getState().hasOlder).toBe(true);
    await useLogsStore.getState().loadOlder(client);
    expect(shown()).toHaveLength(60);
    expect(called('logs.matches').at(-1)?.params).toEqual({
      patternId: 'errors',
      to: at + 100,
      beforeId: 11,
      limit: 50,
    });
    expect(useLogsStore.getState().hasOlder).toBe(false);
  });

  it('follows new lines while open-ended, holds them while the operator reads back, and catches up after', async () => {
    const stored = [match(1), match(2)];
    const { client, called } = agent(stored);
    await useLogsStore.getState().show(client, { ...emptyLogsRoute, from: at });
    expect(shown()).toEqual([2, 1]);

    stored.push(match(3));
    useLogsStore.getState().matched(client, ['errors']);
    await waitFor('the new line', () => shown()[0] === 3);

    useLogsStore.getState().setPaused(client, true);
    const asked = called('logs.matches').length;
    stored.push(match(4));
    useLogsStore.getState().matched(client, ['errors']);
    expect(called('logs.matches').length).toBe(asked);
    expect(useLogsStore.getState().missedWhilePaused).toBe(true);
    expect(shown()).toEqual([3, 2, 1]);

    useLogsStore.getState().setPaused(client, false);
    await waitFor('the line matched while paused', () => shown()[0] === 4);
    expect(useLogsStore.getState().missedWhilePaused).toBe(false);
  });

  it('does not follow a window that has ended, nor when following is off', async () => {
    const stored = [match(1)];
    const { client, called } = agent(stored);
    await useLogsStore.getState().show(client, { ...emptyLogsRoute, from: at, to: at + 10 });
    const asked = called('logs.matches').length;
    useLogsStore.getState().matched(client, ['errors']);
    expect(called('logs.matches').length).toBe(asked);

    await useLogsStore.getState().show(client, emptyLogsRoute);
    useLogsStore.getState().setFollow(client, false);
    const askedOpen = called('logs.matches').length;
    useLogsStore.getState().matched(client, ['errors']);
    expect(called('logs.matches').length).toBe(askedOpen);
  });
});
