import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetdeckClient } from '../../shared/client.js';
import { repoRoot, tempDir, type AgentProcess } from '../support/agent-process.js';
import { waitFor } from '../support/poll.js';
import { startUiSession, type UiSession } from '../support/ui-session.js';

const artifacts = join(repoRoot, 'test/artifacts');
const views = [
  { id: 'topology', name: 'Topology' },
  { id: 'services', name: 'Services' },
  { id: 'alerts', name: 'Alerts' },
  { id: 'log-patterns', name: 'Log patterns' },
  { id: 'tasks', name: 'Tasks' },
  { id: 'nodes', name: 'Nodes' },
  { id: 'settings', name: 'Settings' },
];
const patternName = 'Numbered errors';

describe('the console’s details: first view, Escape, typed durations, matched spans, a dark theme', () => {
  let session: UiSession | undefined;
  let agent: AgentProcess;
  let client: FleetdeckClient;
  let page: Page;
  let problems: string[];
  const logFile = join(tempDir('fleetdeck-e2e-logs-'), 'app.log');

  const nav = () => page.getByRole('navigation', { name: 'Views' });
  const open = async (name: string) => {
    // The Alerts link carries its firing badge in its name.
    await nav()
      .getByRole('link', { name: new RegExp(`^${name}( \\d+ firing)?$`) })
      .click();
    await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
  };
  const describedText = async (field: Locator) => {
    const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
    return (await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()))).join(' ');
  };
  const computed = (selector: string, property: 'backgroundColor' | 'color') =>
    page
      .locator(selector)
      .first()
      .evaluate((element, name) => element.ownerDocument.defaultView!.getComputedStyle(element)[name], property);

  beforeAll(async () => {
    writeFileSync(logFile, '');
    session = await startUiSession(
      { command: 'agent', config: { logFiles: { 'app-log': logFile } } },
      { width: 1440, height: 900 },
    );
    ({ agent, client, page, problems } = session);
    mkdirSync(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await session?.stop();
  });

  it('opens on the Topology view', async () => {
    await page.goto(agent.url);
    await page.getByRole('heading', { level: 1, name: 'Topology', exact: true }).waitFor();
    expect(await nav().getByRole('link', { name: 'Topology', exact: true }).getAttribute('aria-current')).toBe('page');
  });

  it('closes an editor on Escape, saving nothing', async () => {
    await open('Services');
    await page.getByRole('toolbar', { name: 'Service actions' }).getByRole('button', { name: 'Add service' }).click();
    const form = page.getByRole('form', { name: 'Add service' });
    await form.getByLabel('ID', { exact: true }).fill('never-saved');
    await form.getByLabel('ID', { exact: true }).press('Escape');
    await form.waitFor({ state: 'detached' });
    expect((await client.call('services.list', {})).map((s) => s.definition.id)).not.toContain('never-saved');

    // A form outside the editor frame too: a new silence.
    await open('Alerts');
    await page.getByTestId('silences').getByRole('button', { name: 'New silence' }).click();
    const silence = page.getByRole('form', { name: 'New silence' });
    await silence.getByLabel('Comment').fill('never saved');
    await silence.getByLabel('Comment').press('Escape');
    await silence.waitFor({ state: 'detached' });
    expect(await client.call('fleet.silences.list', {})).toEqual([]);
    await open('Services');
  });

  it('takes a check interval typed as "30s", and says why "5x" is not a duration', async () => {
    await page.getByRole('toolbar', { name: 'Service actions' }).getByRole('button', { name: 'Add service' }).click();
    const form = page.getByRole('form', { name: 'Add service' });
    await form.getByLabel('ID', { exact: true }).fill('typed-durations');
    await form.getByLabel('Name', { exact: true }).fill('Typed durations');
    const check = form.getByRole('group', { name: /^Check 1/ });
    await check.getByLabel('Check name').fill('live');
    await check.getByLabel('URL').fill(`${agent.url}/health/live`);
    const interval = check.getByLabel('Interval', { exact: true });
    // The default is shown with its unit, as it would be typed.
    expect(await interval.inputValue()).toBe('10s');

    await interval.fill('5x');
    expect(await interval.getAttribute('aria-invalid')).toBe('true');
    expect(await describedText(interval)).toContain('“5x” is not a duration: write 30s, 5m or 1h30m');

    await interval.fill('30s');
    await check.getByLabel('Timeout', { exact: true }).fill('2.5s');
    expect(await interval.getAttribute('aria-invalid')).toBeNull();
    await form.getByRole('button', { name: 'Save service' }).click();
    await form.waitFor({ state: 'detached' });
    const saved = (await client.call('services.list', {})).find((s) => s.definition.id === 'typed-durations');
    expect(saved?.definition.checks).toMatchObject([{ name: 'live', intervalMs: 30_000, timeoutMs: 2500 }]);
  });

  it('explains a look-behind and marks the matched part of each sample line in Try it', async () => {
    await open('Log patterns');
    await page
      .getByRole('toolbar', { name: 'Log pattern actions' })
      .getByRole('button', { name: 'Add fleet pattern' })
      .click();
    const form = page.getByRole('form', { name: 'Add fleet pattern' });
    const regex = form.getByLabel('Regex', { exact: true });
    await regex.fill('(?<=user=)\\w+');
    await waitFor('the look-behind to be explained', async () =>
      /look-behind `\(\?<=…\)` is not supported: .* rather than `\(\?<=foo\)bar`/.test(await describedText(regex)),
    );

    await regex.fill('ERROR \\d+');
    await form.getByLabel('Sample lines').fill('12:00 ERROR 42 disk full\n12:01 INFO fine');
    const lines = form.getByTestId('try-line');
    await waitFor('the sample lines to be marked', async () => {
      const marks = await lines.evaluateAll((items) => items.map((item) => item.dataset.match));
      return marks.join() === 'match,no-match';
    });
    expect(await lines.locator('mark').allTextContents()).toEqual(['ERROR 42']);

    await form.getByLabel('ID', { exact: true }).fill('numbered-errors');
    await form.getByLabel('Name', { exact: true }).fill(patternName);
    // Sources are picked from the node's own.
    await form
      .getByRole('group', { name: /^Sources on / })
      .getByLabel('app-log', { exact: true })
      .check();
    expect(await form.getByLabel('Sources', { exact: true }).inputValue()).toBe('app-log');
    await form.screenshot({ path: join(artifacts, 'log-pattern-try-it-highlight.png') });
    await form.getByRole('button', { name: 'Save for the whole fleet' }).click();
    await page.getByTestId('pattern-saved').waitFor();
    const [stored] = await client.call('fleet.logPatterns.list', {});
    expect(stored?.value).toMatchObject({ regex: 'ERROR \\d+', sources: ['app-log'] });
  });

  it('marks the matched part of the lines that matched', async () => {
    const row = page.getByTestId('node-pattern-numbered-errors');
    await row.waitFor();
    await waitFor(
      'a line appended to the log to match',
      async () => {
        appendFileSync(logFile, 'worker 3: ERROR 7 queue stalled\n');
        const { matches } = await client.call('logs.matches', { patternId: 'numbered-errors' });
        return matches.length > 0;
      },
      { timeoutMs: 20_000, intervalMs: 1000 },
    );
    await row.getByRole('button', { name: `Show lines matching ${patternName}` }).click();
    const line = page
      .getByRole('region', { name: /^Matched lines on/ })
      .getByTestId('match')
      .first();
    await line.waitFor();
    expect(await line.locator('.match-line').textContent()).toBe('worker 3: ERROR 7 queue stalled');
    expect(await line.locator('.match-line mark').textContent()).toBe('ERROR 7');
  });

  it('follows a dark OS setting in every view, and the light one back', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const { id, name } of views) {
      await open(name);
      expect({ view: name, page: await computed('html', 'backgroundColor') }).toEqual({
        view: name,
        page: 'rgb(11, 17, 32)',
      });
      expect(await computed('.top-bar', 'backgroundColor')).toBe('rgb(17, 26, 46)');
      expect(await computed('h1', 'color')).toBe('rgb(226, 232, 240)');
      await page.screenshot({ path: join(artifacts, `dark-${id}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await computed('html', 'backgroundColor')).toBe('rgb(241, 245, 249)');
    expect(await computed('h1', 'color')).toBe('rgb(15, 23, 42)');
  });

  it('reports no console errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
