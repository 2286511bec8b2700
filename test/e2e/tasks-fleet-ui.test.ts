import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdFleetArgs, startAgentProcess, type AgentProcess } from '../support/agent-process.js';
import { openTestPage, type TestPage } from '../support/browser.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { clientFor } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';

/** Long enough to be seen running on the worker, well under the waits below. */
const sleepMs = 1500;

describe('the Tasks view shows and acts on another member’s queue across a fleet on etcd', () => {
  let etcd: EtcdCluster | undefined;
  let worker: AgentProcess | undefined;
  let consoleAgent: AgentProcess | undefined;
  let workerId: string;
  let testPage: TestPage | undefined;
  let page: Page;
  let problems: string[];

  const fleetArgs = (endpoint: string, name: string) => etcdFleetArgs(endpoint, 'e2e-tasks', name);
  /** The view's node picker, not the list's filter by node. */
  const picker = () => page.getByRole('toolbar', { name: 'Task actions' }).getByRole('combobox', { name: 'Node' });
  const form = () => page.getByRole('form', { name: 'Submit a task' });
  const detail = () => page.getByTestId('task-detail');

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    const endpoint = etcd.endpoints[0]!;
    [worker, consoleAgent] = await Promise.all([
      startAgentProcess({ args: fleetArgs(endpoint, 'e2e-worker'), readyTimeoutMs: 30_000 }),
      startAgentProcess({ args: [...fleetArgs(endpoint, 'e2e-console'), '--role', 'console'], readyTimeoutMs: 30_000 }),
    ]);
    workerId = (await clientFor(worker.url).call('node.status', {})).id;
    testPage = await openTestPage();
    ({ page, problems } = testPage);
  }, 60_000);

  afterAll(async () => {
    await testPage?.close();
    await Promise.all([consoleAgent?.stop(), worker?.stop()]);
    await etcd?.stop();
  });

  it('picks the worker in the console’s Tasks view and names it as the node shown', async () => {
    await page.goto(`${consoleAgent!.url}/#/tasks`);
    await page.getByRole('heading', { level: 1, name: 'Tasks', exact: true }).waitFor();
    await page.getByText('No tasks match.').waitFor();
    await waitFor(
      'the worker to be offered',
      async () => (await picker().locator(`option[value="${workerId}"]`).count()) === 1,
      { timeoutMs: 20_000 },
    );
    await picker().selectOption(workerId);
    await page.getByText('The durable task queue of e2e-worker, live', { exact: false }).waitFor();
  });

  it('submits a sleep task there from the form and sees it run on the worker and succeed', async () => {
    await page.getByRole('button', { name: 'New task' }).click();
    await form().getByLabel('Type').selectOption('sleep');
    await form()
      .getByLabel('Payload (JSON)')
      .fill(JSON.stringify({ ms: sleepMs }));
    await form().getByRole('button', { name: 'Submit task' }).click();
    await waitFor('the form to close', async () => (await form().count()) === 0);

    const id = ((await detail().getByTestId('task-detail-id').textContent()) ?? '').trim();
    expect(id).not.toBe('');
    const state = detail().getByTestId('task-detail-state').locator('[data-state]');
    await waitFor('the open task to succeed', async () => (await state.getAttribute('data-state')) === 'succeeded', {
      timeoutMs: 15_000,
    });
    const row = page.getByTestId(`task-row-${id}`);
    await waitFor('the row to show it succeeded', async () => (await row.getAttribute('data-state')) === 'succeeded');
    // The list beside an open task leaves out the node column.
    await detail().getByRole('button', { name: 'Close' }).click();
    expect(await row.locator('.task-node').textContent()).toBe(workerId);

    // The task is the worker's, asked of the worker itself.
    expect(await clientFor(worker!.url).call('tasks.get', { id })).toMatchObject({
      state: 'succeeded',
      node: workerId,
    });
  });

  it('switches back to the console’s own queue, from its first page with nothing open', async () => {
    await picker().selectOption({ index: 0 });
    await page.getByText('The durable task queue of e2e-console (this node), live', { exact: false }).waitFor();
    await page.getByText('No tasks match.').waitFor();
    expect(await detail().count()).toBe(0);
  });

  it('reports no console errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
