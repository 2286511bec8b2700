import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetdeckClient } from '../../shared/client.js';
import { repoRoot, tempDir, type AgentProcess } from '../support/agent-process.js';
import { waitFor } from '../support/poll.js';
import { startUiSession, type UiSession } from '../support/ui-session.js';

const screenshotPath = join(repoRoot, 'test/artifacts/tasks.png');
/** An exec command that fails until the test creates its flag file: a dead letter that a replay can save. */
const flagCommand = 'check-flag';
/** A run takes long enough to be seen running, and well under the waits below. */
const shortSleepMs = 2500;
const runTimeoutMs = 20_000;
/** Fires on New Year only, so it lists a next tick but adds no task while the test runs. */
const yearly = { id: 'new-year-report', schedule: '0 0 1 1 *', timezone: 'Europe/Stockholm' };

describe('the Tasks view on an agent', () => {
  let session: UiSession | undefined;
  let agent: AgentProcess | undefined;
  let client: FleetdeckClient;
  let page: Page;
  let problems: string[];
  const flagFile = join(tempDir('fleetdeck-tasks-ui-'), 'flag');

  const form = () => page.getByRole('form', { name: 'Submit a task' });
  const detail = () => page.getByTestId('task-detail');
  const detailState = () => detail().getByTestId('task-detail-state').locator('[data-state]');
  const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();
  const detailShows = (state: string) =>
    waitFor(`the open task to show ${state}`, async () => (await detailState().getAttribute('data-state')) === state, {
      timeoutMs: runTimeoutMs,
    });
  const openTaskId = async () => text(detail().getByTestId('task-detail-id'));

  /** Opens the form, picks a type and fills in the rest. */
  const startSubmit = async (type: string) => {
    if ((await form().count()) === 0) await page.getByRole('button', { name: 'New task' }).click();
    await form().getByLabel('Type').selectOption(type);
  };

  beforeAll(async () => {
    const script = `const ok = require('node:fs').existsSync(${JSON.stringify(flagFile)}); console.log(ok ? 'flag found' : 'flag missing'); process.exit(ok ? 0 : 1);`;
    session = await startUiSession({
      command: 'agent',
      config: {
        commands: { [flagCommand]: { argv: [process.execPath, '-e', script] } },
        tasks: { recurring: [{ ...yearly, task: { type: 'sleep', payload: { ms: 1 } } }] },
      },
    });
    ({ agent, client, page, problems } = session);
  });

  afterAll(async () => {
    await session?.stop();
  });

  it('opens the Tasks view with its counts and an empty list', async () => {
    await page.goto(agent!.url);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Tasks', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Tasks', exact: true }).waitFor();
    await page.getByText('No tasks match.').waitFor();
    const all = page.getByTestId('task-count-all').locator('.task-count-value');
    await waitFor('the counts to arrive', async () => (await text(all)) === '0');
  });

  it('lists the recurring tasks of the node’s config with their next tick', async () => {
    const row = page.getByTestId('recurring-tasks').getByTestId(`recurring-${yearly.id}`);
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 4)).toEqual([yearly.id, yearly.schedule, yearly.timezone, 'sleep']);
    const [listed] = await client.call('tasks.recurring', {});
    expect(listed?.nextAt).toBeGreaterThan(Date.now());
    const nextTick = row.locator('td').nth(4).locator('time');
    expect(await nextTick.getAttribute('datetime')).toBe(new Date(listed!.nextAt!).toISOString());
  });

  it('refuses a payload that is not JSON at the payload field, before calling the agent', async () => {
    await startSubmit('sleep');
    await form().getByLabel('Payload (JSON)').fill('{ms: 10}');
    await form().getByRole('button', { name: 'Submit task' }).click();
    const payload = form().getByLabel('Payload (JSON)');
    await waitFor(
      'the payload to be marked invalid',
      async () => (await payload.getAttribute('aria-invalid')) === 'true',
    );
    expect(
      await form()
        .getByText(/^Must be valid JSON/)
        .count(),
    ).toBe(1);
    expect(await client.call('tasks.list', {})).toEqual([]);
  });

  it('shows the agent’s refusal of a payload the type does not accept, at the payload field', async () => {
    await form().getByLabel('Payload (JSON)').fill('{ "ms": -5 }');
    await form().getByRole('button', { name: 'Submit task' }).click();
    await form().getByText(/^ms: /).waitFor();
    expect(await client.call('tasks.list', {})).toEqual([]);
  });

  it('submits a sleep task and shows it running, then succeeded with its result', async () => {
    await form()
      .getByLabel('Payload (JSON)')
      .fill(JSON.stringify({ ms: shortSleepMs }));
    await form().getByLabel('Fairness group').fill('e2e');
    await form().getByRole('button', { name: 'Submit task' }).click();
    await waitFor('the form to close', async () => (await form().count()) === 0);

    await detailShows('running');
    const id = await openTaskId();
    const row = page.getByTestId(`task-row-${id}`);
    await waitFor('the row to show it running', async () => (await row.getAttribute('data-state')) === 'running');
    await detailShows('succeeded');
    await waitFor('the row to show it succeeded', async () => (await row.getAttribute('data-state')) === 'succeeded');
    expect(await text(detail().getByTestId('task-result'))).toContain(`"sleptMs": ${shortSleepMs}`);
    expect(await detail().getByTestId('task-attempt-1').count()).toBe(1);
    // tasks.retry does not take a succeeded task, so nothing offers it.
    expect(
      await detail()
        .getByRole('button', { name: /Retry|Replay|Cancel/ })
        .count(),
    ).toBe(0);
    expect(await client.call('tasks.get', { id })).toMatchObject({
      type: 'sleep',
      state: 'succeeded',
      group: 'e2e',
      progress: 100,
      result: { sleptMs: shortSleepMs },
    });
    await waitFor(
      'the succeeded count to reach 1',
      async () => (await text(page.getByTestId('task-count-succeeded').locator('.task-count-value'))) === '1',
    );
  });

  it('cancels a long sleep while it runs', async () => {
    await startSubmit('sleep');
    await form()
      .getByLabel('Payload (JSON)')
      .fill(JSON.stringify({ ms: 600_000 }));
    await form().getByLabel('Timeout', { exact: true }).fill('900000');
    await form().getByRole('button', { name: 'Submit task' }).click();
    await detailShows('running');
    const id = await openTaskId();
    await detail().getByRole('button', { name: 'Cancel task' }).click();
    await detailShows('cancelled');
    expect((await client.call('tasks.get', { id })).state).toBe('cancelled');
    await detail().getByRole('button', { name: 'Retry', exact: true }).waitFor();
    await waitFor(
      'the row to show it cancelled',
      async () => (await page.getByTestId(`task-row-${id}`).getAttribute('data-state')) === 'cancelled',
    );
  });

  it('shows a failing exec task as a dead letter, then replays it once the command can succeed', async () => {
    await startSubmit('exec');
    await form().getByLabel('Command').selectOption(flagCommand);
    await form().getByLabel('Max attempts').fill('1');
    await form().getByRole('button', { name: 'Submit task' }).click();
    await detailShows('dead');
    const id = await openTaskId();
    expect(await text(detail().getByTestId('task-detail-error'))).toBe('Last error: exited with code 1: flag missing');
    expect(await text(detail().getByTestId('task-attempt-1-error'))).toBe('exited with code 1: flag missing');

    writeFileSync(flagFile, '');
    await detail().getByRole('button', { name: 'Replay dead letter' }).click();
    await detailShows('succeeded');
    await detail().getByTestId('task-attempt-2').waitFor();
    expect(await text(detail().getByTestId('task-logs'))).toContain('flag found');
    expect(await text(detail().getByTestId('task-detail-attempts'))).toBe('1 of 1');
    const task = await client.call('tasks.get', { id });
    expect(task).toMatchObject({ state: 'succeeded', attemptCount: 1, error: null });
    expect(task.attempts.map((attempt) => attempt.error === null)).toEqual([false, true]);
  });

  it('filters by state with the count chips and by search text', async () => {
    await page.getByTestId('task-count-cancelled').click();
    const rows = page.getByTestId('task-list').locator('tbody tr');
    await waitFor('only the cancelled task to be listed', async () => {
      const states = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-state')));
      return states.length === 1 && states[0] === 'cancelled';
    });
    await page.getByTestId('task-count-cancelled').click();
    await page.getByRole('search', { name: 'Filter tasks' }).getByLabel('Search').fill(flagCommand);
    await waitFor('only the exec task to be listed', async () => {
      const types = await rows.locator('.task-type').allTextContents();
      return types.length === 1 && types[0] === 'exec';
    });
    await page.getByRole('search', { name: 'Filter tasks' }).getByLabel('Search').fill('');
    await waitFor('every task to be listed again', async () => (await rows.count()) === 3);
  });

  it('cancels ticked tasks in bulk', async () => {
    const { ids } = await client.call('tasks.submitBatch', {
      tasks: [
        { type: 'sleep', payload: { ms: 600_000 }, timeoutMs: 900_000, notBefore: Date.now() + 3_600_000 },
        { type: 'sleep', payload: { ms: 600_000 }, timeoutMs: 900_000, notBefore: Date.now() + 3_600_000 },
      ],
    });
    for (const id of ids) {
      const row = page.getByTestId(`task-row-${id}`);
      await row.waitFor();
      expect(await row.getAttribute('data-state')).toBe('scheduled');
      await row.getByRole('checkbox').check();
    }
    await page.getByRole('group', { name: 'Selected tasks' }).getByRole('button', { name: 'Cancel selected' }).click();
    for (const id of ids) {
      await waitFor(
        `${id} to show cancelled`,
        async () => (await page.getByTestId(`task-row-${id}`).getAttribute('data-state')) === 'cancelled',
      );
      expect((await client.call('tasks.get', { id })).state).toBe('cancelled');
    }
    expect(await page.getByRole('group', { name: 'Selected tasks' }).count()).toBe(0);
    await waitFor(
      'the cancelled count to reach 3',
      async () => (await text(page.getByTestId('task-count-cancelled').locator('.task-count-value'))) === '3',
    );
  });

  it('draws the attempts that ended per minute as the agent counts them, and looks right', async () => {
    const { throughput } = await client.call('tasks.stats', {});
    const total = (key: 'succeeded' | 'failed') => throughput.reduce((sum, bucket) => sum + bucket[key], 0);
    // The sleep and the replayed exec succeeded; the dead exec attempt failed.
    expect(total('succeeded')).toBe(2);
    const failed = total('failed');
    expect(failed).toBeGreaterThanOrEqual(1);
    const summary = (id: string) => text(page.getByTestId(`chart-${id}`).locator('.visually-hidden'));
    await waitFor('the charts to show the ended attempts', async () => {
      const shown = [await summary('task-succeeded'), await summary('task-failed')];
      return shown[0] === '2 attempts succeeded.' && shown[1] === `${failed} attempt${failed === 1 ? '' : 's'} failed.`;
    });
    expect(await summary('latency')).toMatch(/^Mean per minute from /);

    expect(await text(detail().locator('h2'))).toBe('exec task');
    mkdirSync(join(repoRoot, 'test/artifacts'), { recursive: true });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: screenshotPath, fullPage: true });

    // Over a week the agent counts in 7-minute buckets: the same attempts, on a week's axis.
    const ranges = page.getByRole('group', { name: 'Throughput range' });
    await ranges.getByRole('button', { name: '7 d' }).click();
    await page.getByRole('heading', { name: 'Throughput, last 7 days' }).waitFor();
    expect(await ranges.getByRole('button', { name: '7 d' }).getAttribute('aria-pressed')).toBe('true');
    const week = await client.call('tasks.stats', { windowMs: 7 * 86_400_000 });
    expect(week.bucketMs).toBe(7 * 60_000);
    expect(week.throughput.reduce((sum, bucket) => sum + bucket.succeeded, 0)).toBe(2);
    expect(await summary('task-succeeded')).toBe('2 attempts succeeded.');
    await ranges.getByRole('button', { name: '1 h' }).click();
    await page.getByRole('heading', { name: 'Throughput, last hour' }).waitFor();
  });

  it('takes a timeout typed as "2s", after refusing one it cannot read, naming the field', async () => {
    await startSubmit('sleep');
    await form()
      .getByLabel('Payload (JSON)')
      .fill(JSON.stringify({ ms: 600_000 }));
    await form().getByLabel('Max attempts').fill('1');
    const timeout = form().getByLabel('Timeout', { exact: true });
    await timeout.fill('soon');
    await form().getByRole('button', { name: 'Submit task' }).click();
    await form()
      .getByText('Timeout: “soon” is not a duration; write 250ms, 30s, 5m, 1h or plain milliseconds')
      .waitFor();
    expect(await timeout.getAttribute('aria-invalid')).toBe('true');

    await timeout.fill('2s');
    await form().getByRole('button', { name: 'Submit task' }).click();
    await detailShows('dead');
    const task = await client.call('tasks.get', { id: await openTaskId() });
    expect(task).toMatchObject({ timeoutMs: 2000, state: 'dead', attemptCount: 1 });
    const [attempt] = task.attempts;
    expect(attempt!.endedAt! - attempt!.startedAt).toBeLessThan(10_000);
  });

  it('pages back to older tasks with the "Older tasks" button', async () => {
    const shown = await client.call('tasks.list', { limit: 500 });
    const later = Date.now() + 3_600_000;
    await client.call('tasks.submitBatch', {
      tasks: Array.from({ length: 200 }, () => ({ type: 'sleep', payload: { ms: 1 }, notBefore: later })),
    });
    const rows = page.getByTestId('task-list').locator('tbody tr');
    const older = page.getByTestId('task-list').getByRole('button', { name: 'Older tasks' });
    await older.waitFor();
    expect(await rows.count()).toBe(200);
    await older.click();
    const total = shown.length + 200;
    await waitFor(`all ${total} tasks to be listed`, async () => (await rows.count()) === total);
    expect(await older.count()).toBe(0);
    const oldest = shown.at(-1)!.id;
    expect(await rows.last().getAttribute('data-testid')).toBe(`task-row-${oldest}`);
  });

  it('reports no console errors and no CSP violations but the refused submit', () => {
    // Chromium logs every 4xx answer: the one expected is the agent refusing the negative sleep.
    expect(problems).toEqual([
      'console error: Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
  });
});
