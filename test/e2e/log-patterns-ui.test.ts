import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogPatterns } from '../../electron/demo/demo-rules.js';
import type { FleetdeckClient } from '../../shared/client.js';
import { etcdFleetArgs, repoRoot, startAgentProcess, type AgentProcess } from '../support/agent-process.js';
import { openTestPage, type TestPage } from '../support/browser.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { clientFor } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';
import { startUiSession, type UiSession } from '../support/ui-session.js';

const screenshotPath = join(repoRoot, 'test/artifacts/log-patterns-view.png');
const formScreenshotPath = join(repoRoot, 'test/artifacts/log-patterns-form.png');
const viewport = { width: 1280, height: 800 };
const patternId = 'e2e-http-get';
const patternName = 'HTTP GETs';
// The demo's log writer prints an `http: GET …` line about every other tick (two ticks a second), so matches
// show within seconds; its error lines are rarer.
const regex = 'http: GET';
/** A pattern of the node's config file: read-only in the view. */
const configPattern = { id: 'node-panics', name: 'Panics', regex: 'panic', sources: ['demo-worker'] };
const demoPatternIds = demoLogPatterns().map((pattern) => pattern.id);
const samples = [
  '2025-01-01T12:00:00.000Z INFO  http: GET /api/cart 200 in 12 ms',
  '2025-01-01T12:00:00.500Z INFO  cache: hit ratio 0.93 over the last minute',
  '2025-01-01T12:00:01.000Z ERROR upstream timeout after 3000 ms',
];

describe('the Log patterns view edits fleet patterns and shows their matches on a demo agent', () => {
  let session: UiSession | undefined;
  let agent: AgentProcess | undefined;
  let client: FleetdeckClient;
  let page: Page;
  let problems: string[];
  let form: Locator;

  /** The fleet's patterns but the demo's (saved for the fleet when the demo starts). */
  const fleetPatterns = async () =>
    (await client.call('fleet.logPatterns.list', {})).filter((entry) => !demoPatternIds.includes(entry.id));
  const tryMarks = () => form.getByTestId('try-line').evaluateAll((lines) => lines.map((l) => l.dataset.match));

  beforeAll(async () => {
    session = await startUiSession(
      { command: 'demo', config: { resources: { intervalMs: 500 }, logPatterns: [configPattern] } },
      viewport,
    );
    ({ agent, client, page, problems } = session);
  });

  afterAll(async () => {
    await session?.stop();
  });

  it('opens from the sidebar with the config file’s pattern read-only, the demo’s for the fleet, and its log source', async () => {
    await page.goto(agent!.url);
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: 'Log patterns', exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Log patterns', exact: true }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Node' }).count()).toBe(1);

    const row = page.getByTestId(`node-pattern-${configPattern.id}`);
    await row.waitFor();
    expect(await row.getAttribute('data-source')).toBe('config');
    expect(await row.getByText('Read-only').count()).toBe(1);
    expect(await row.getByRole('button', { name: /^Edit/ }).count()).toBe(0);
    const demoRow = page.getByTestId('fleet-patterns').getByTestId('fleet-pattern-demo-upstream-errors');
    await demoRow.getByRole('button', { name: /^Edit/ }).waitFor();

    await page.getByTestId('log-source-demo-worker').waitFor();
  });

  it('tries a regex on sample lines, and shows why one does not compile', async () => {
    await page
      .getByRole('toolbar', { name: 'Log pattern actions' })
      .getByRole('button', { name: 'Add fleet pattern' })
      .click();
    form = page.getByRole('form', { name: 'Add fleet pattern' });
    await form.getByLabel('ID', { exact: true }).fill(patternId);
    await form.getByLabel('Name', { exact: true }).fill(patternName);
    await form.getByLabel('Description').fill('Every GET the demo worker serves');
    await form.getByLabel('Regex', { exact: true }).fill(regex);
    await form.getByLabel('Sample lines').fill(samples.join('\n'));
    await waitFor('the sample lines to be marked', async () => {
      const marks = await tryMarks();
      return marks.length === 3 && marks.every((mark) => mark !== 'unknown') ? marks : undefined;
    });
    expect(await tryMarks()).toEqual(['match', 'no-match', 'no-match']);
    expect(await form.getByTestId('try-status').textContent()).toBe('1 of 3 lines match.');
    mkdirSync(join(repoRoot, 'test/artifacts'), { recursive: true });
    await form.screenshot({ path: formScreenshotPath });

    const regexField = form.getByLabel('Regex', { exact: true });
    await regexField.fill('(a');
    await waitFor(
      'the regex to be marked invalid',
      async () => (await regexField.getAttribute('aria-invalid')) === 'true',
    );
    const describedBy = (await regexField.getAttribute('aria-describedby'))!.split(' ');
    const errorText = await page.locator(`[id="${describedBy[0]}"]`).textContent();
    expect(errorText).toMatch(/missing closing \)/);

    // Saving a regex that does not compile is refused before anything reaches the fleet.
    await form.getByRole('button', { name: 'Save for the whole fleet' }).click();
    // A refused save takes the keyboard to the field to fix.
    await waitFor('the regex field to get the focus', () =>
      regexField.evaluate((element) => element === element.ownerDocument.activeElement),
    );
    expect(await fleetPatterns()).toEqual([]);
    expect(await regexField.getAttribute('aria-invalid')).toBe('true');

    await regexField.fill(regex);
    await waitFor('the regex to compile again', async () => (await regexField.getAttribute('aria-invalid')) === null);
    await waitFor(
      'the sample lines to be marked again',
      async () => JSON.stringify(await tryMarks()) === JSON.stringify(['match', 'no-match', 'no-match']),
    );
  });

  it('saves it for the fleet and shows it in force here, from the fleet, with matches arriving live', async () => {
    await form.getByLabel('Sources').fill('demo-worker');
    await form.getByRole('button', { name: 'Save for the whole fleet' }).click();
    await page.getByTestId('pattern-saved').waitFor();
    expect(await page.getByRole('form').count()).toBe(0);

    const stored = await fleetPatterns();
    expect(stored).toEqual([
      {
        id: patternId,
        problem: null,
        value: {
          id: patternId,
          name: patternName,
          description: 'Every GET the demo worker serves',
          regex,
          ignoreCase: false,
          severity: 'warning',
          sources: ['demo-worker'],
        },
      },
    ]);
    const fleetRow = page.getByTestId('fleet-patterns').getByTestId(`fleet-pattern-${patternId}`);
    await fleetRow.waitFor();
    expect(await page.getByTestId(`refusals-${patternId}`).textContent()).toBe('None');

    const row = page.getByTestId(`node-pattern-${patternId}`);
    await row.waitFor();
    expect(await row.getAttribute('data-source')).toBe('fleet');
    expect(await row.getByText('Fleet', { exact: true }).count()).toBe(1);
    const count = page.getByTestId(`matches-${patternId}`);
    const matches = await waitFor(
      'the pattern to match demo log lines',
      async () => {
        const value = Number(await count.textContent());
        return value > 0 ? value : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(matches).toBeGreaterThan(0);
  });

  it('shows the matched lines, newest first, filtered by the pattern', async () => {
    await page
      .getByTestId(`node-pattern-${patternId}`)
      .getByRole('button', { name: `Show lines matching ${patternName}` })
      .click();
    const card = page.getByRole('region', { name: /^Matched lines on/ });
    expect(await card.getByRole('combobox', { name: 'Pattern' }).inputValue()).toBe(patternId);
    const lines = card.getByTestId('match');
    await lines.first().waitFor();
    const patternIds = await lines.evaluateAll((items) => items.map((item) => item.dataset.patternId));
    expect(new Set(patternIds)).toEqual(new Set([patternId]));
    expect(await lines.first().locator('.match-line').textContent()).toContain('http: GET');

    const { matches } = await client.call('logs.matches', { patternId, limit: 5 });
    const ids = matches.map((match) => match.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('fits 1280×800 without sideways scrolling', async () => {
    const overflow = await page
      .locator('html')
      .evaluate((root) => root.scrollWidth - root.ownerDocument.defaultView!.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath, fullPage: true });
  });

  it('edits the fleet pattern: its id is fixed, its severity changes', async () => {
    const fleetRow = page.getByTestId('fleet-patterns').getByTestId(`fleet-pattern-${patternId}`);
    await fleetRow.getByRole('button', { name: `Edit ${patternName}` }).click();
    const edit = page.getByRole('form', { name: `Edit ${patternName}` });
    expect(await edit.getByLabel('ID', { exact: true }).getAttribute('readonly')).not.toBeNull();
    await edit.getByLabel('Severity').selectOption('critical');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('pattern-saved').waitFor();
    const [saved] = await fleetPatterns();
    expect(saved?.value?.severity).toBe('critical');
    await waitFor(
      'the new severity to show here',
      async () => (await fleetRow.locator('[data-severity]').getAttribute('data-severity')) === 'critical',
    );
  });

  it('deletes it after asking, from the fleet and from this node', async () => {
    const fleetRow = page.getByTestId('fleet-patterns').getByTestId(`fleet-pattern-${patternId}`);
    await fleetRow.getByRole('button', { name: `Delete ${patternName}` }).click();
    const confirm = fleetRow.getByRole('group', { name: `Confirm deleting ${patternName}` });
    // Nothing is deleted until confirmed.
    expect(await fleetPatterns()).toHaveLength(1);
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await fleetRow.waitFor({ state: 'detached' });
    await page.getByTestId(`node-pattern-${patternId}`).waitFor({ state: 'detached' });
    expect(await fleetPatterns()).toEqual([]);
    expect((await client.call('logs.patterns.list', {})).some((state) => state.pattern.id === patternId)).toBe(false);
  });

  it('reports no console errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});

describe('the Log patterns view across a fleet on etcd', () => {
  const conflictId = 'e2e-conflict';
  let etcd: EtcdCluster | undefined;
  let worker: AgentProcess | undefined;
  let consoleAgent: AgentProcess | undefined;
  let workerId: string;
  let testPage: TestPage | undefined;
  let page: Page;
  let problems: string[];

  const fleetArgs = (endpoint: string, name: string) => etcdFleetArgs(endpoint, 'e2e-logs', name);
  const picker = () => page.getByRole('combobox', { name: 'Node' });

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    const endpoint = etcd.endpoints[0]!;
    // The worker's own file defines a pattern with the id the console will save for the fleet, so it must
    // refuse the fleet's; and it names a log file that does not exist.
    [worker, consoleAgent] = await Promise.all([
      startAgentProcess({
        args: fleetArgs(endpoint, 'e2e-worker'),
        config: {
          logFiles: { 'app-log': '/nonexistent/fleetdeck-e2e/app.log' },
          logPatterns: [{ id: conflictId, name: 'Worker’s own', regex: 'panic' }],
        },
        readyTimeoutMs: 30_000,
      }),
      startAgentProcess({ args: [...fleetArgs(endpoint, 'e2e-console'), '--role', 'console'], readyTimeoutMs: 30_000 }),
    ]);
    workerId = (await clientFor(worker.url).call('node.status', {})).id;

    testPage = await openTestPage(viewport);
    ({ page, problems } = testPage);
  });

  afterAll(async () => {
    await testPage?.close();
    await Promise.all([consoleAgent?.stop(), worker?.stop()]);
    await etcd?.stop();
  });

  it('shows another member’s patterns and unreadable source, asked through the console', async () => {
    await page.goto(`${consoleAgent!.url}/#/log-patterns`);
    await page.getByRole('heading', { level: 1, name: 'Log patterns', exact: true }).waitFor();
    await waitFor(
      'the worker to be offered',
      async () => (await picker().locator(`option[value="${workerId}"]`).count()) === 1,
      {
        timeoutMs: 20_000,
      },
    );
    await picker().selectOption(workerId);
    await page.getByRole('heading', { level: 2, name: 'Patterns on e2e-worker' }).waitFor();
    const row = page.getByTestId(`node-pattern-${conflictId}`);
    await row.waitFor();
    expect(await row.getAttribute('data-source')).toBe('config');
    expect(await row.getByText('Read-only').count()).toBe(1);
    const source = page.getByTestId('log-source-app-log');
    await source.waitFor();
    expect(await source.locator('.source-problem').textContent()).not.toBe('');
  });

  it('will not save a fleet pattern over the shown node’s own config pattern', async () => {
    await page
      .getByRole('toolbar', { name: 'Log pattern actions' })
      .getByRole('button', { name: 'Add fleet pattern' })
      .click();
    const form = page.getByRole('form', { name: 'Add fleet pattern' });
    const id = form.getByLabel('ID', { exact: true });
    await id.fill(conflictId);
    await form.getByLabel('Name', { exact: true }).fill('Panics');
    await form.getByLabel('Regex', { exact: true }).fill('panic');
    await form.getByRole('button', { name: 'Save for the whole fleet' }).click();
    await waitFor('the id to be marked invalid', async () => (await id.getAttribute('aria-invalid')) === 'true');
    expect(await form.getByText(/defines a pattern with this id in its config file/).count()).toBe(1);
    await form.getByRole('button', { name: 'Cancel' }).click();
    expect(await clientFor(consoleAgent!.url).call('fleet.logPatterns.list', {})).toEqual([]);
  });

  it('saves it from the console’s own view and shows which node refused it, and why', async () => {
    await picker().selectOption({ index: 0 });
    await page.getByRole('heading', { level: 2, name: 'Patterns on e2e-console' }).waitFor();
    await page
      .getByRole('toolbar', { name: 'Log pattern actions' })
      .getByRole('button', { name: 'Add fleet pattern' })
      .click();
    const form = page.getByRole('form', { name: 'Add fleet pattern' });
    await form.getByLabel('ID', { exact: true }).fill(conflictId);
    await form.getByLabel('Name', { exact: true }).fill('Panics');
    await form.getByLabel('Regex', { exact: true }).fill('panic');
    await form.getByRole('button', { name: 'Save for the whole fleet' }).click();
    await page.getByTestId('pattern-saved').waitFor();

    const refusals = page.getByTestId(`refusals-${conflictId}`);
    const text = await waitFor(
      'the worker to report that it refused the pattern',
      async () => {
        const value = await refusals.textContent();
        return value?.includes('e2e-worker') ? value : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(text).toMatch(/config file/);

    // The console applied it; the worker keeps its own.
    await page.getByTestId(`node-pattern-${conflictId}`).waitFor();
    expect(await page.getByTestId(`node-pattern-${conflictId}`).getAttribute('data-source')).toBe('fleet');
    await picker().selectOption(workerId);
    await page.getByTestId('node-refusals').waitFor();
    expect(await page.getByTestId('node-refusals').textContent()).toContain(conflictId);
    await waitFor(
      'the worker’s own pattern to show',
      async () => (await page.getByTestId(`node-pattern-${conflictId}`).getAttribute('data-source')) === 'config',
    );
  });

  it('shows a malformed stored value with its problem, and deletes it after asking', async () => {
    const brokenId = 'e2e-broken';
    const put = await etcd!.etcdctl([
      'put',
      `fleetdeck/e2e-logs/kv/config/log-patterns/${brokenId}`,
      '{"id":"e2e-broken"}',
    ]);
    expect(put.code).toBe(0);
    // Agents announce only values they applied; Refresh asks the fleet's list again at once.
    await page.getByRole('toolbar', { name: 'Log pattern actions' }).getByRole('button', { name: 'Refresh' }).click();
    const row = page.getByTestId(`fleet-pattern-${brokenId}`);
    await row.waitFor();
    expect(await row.textContent()).toMatch(/The stored value is unusable: .+/);
    expect(await row.getByRole('button', { name: /^Edit/ }).count()).toBe(0);

    const card = page.getByRole('region', { name: 'Fleet patterns' });
    expect(await card.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    await page.screenshot({ path: join(repoRoot, 'test/artifacts/log-patterns-fleet.png'), fullPage: true });

    await row.getByRole('button', { name: `Delete ${brokenId}` }).click();
    await row
      .getByRole('group', { name: `Confirm deleting ${brokenId}` })
      .getByRole('button', { name: 'Delete', exact: true })
      .click();
    await row.waitFor({ state: 'detached' });
    const left = await clientFor(consoleAgent!.url).call('fleet.logPatterns.list', {});
    expect(left.map((entry) => entry.id)).toEqual([conflictId]);
  });

  it('reports no console errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
