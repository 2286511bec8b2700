import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetdeckClient } from '../../shared/client.js';
import { repoRoot, type AgentProcess } from '../support/agent-process.js';
import { waitFor } from '../support/poll.js';
import { startUiSession, type UiSession } from '../support/ui-session.js';

const ruleId = 'e2e-memory-used';
const ruleName = 'Memory in use';
const screenshotPath = join(repoRoot, 'test/artifacts/alert-lifecycle.png');

describe('acknowledging and silencing an alert in the Alerts view', () => {
  let session: UiSession | undefined;
  let agent: AgentProcess | undefined;
  let client: FleetdeckClient;
  let page: Page;
  let problems: string[];

  const openRow = () => page.getByTestId(`open-alert-${ruleId}`);
  const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();
  const openAlertsView = async () => {
    await page.goto(agent!.url);
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: /^Alerts( \d+ firing)?$/ })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Alerts', exact: true }).waitFor();
  };

  beforeAll(async () => {
    session = await startUiSession({
      command: 'agent',
      config: {
        name: 'lifecycle-e2e',
        labels: { role: 'db' },
        resources: { intervalMs: 500 },
        // Memory in use is always above 0 %: the alert fires at the first evaluation.
        alertRules: [
          {
            id: ruleId,
            name: ruleName,
            severity: 'critical',
            signal: { kind: 'resource', metric: 'memory' },
            operator: 'above',
            threshold: 0,
            labels: { service: 'postgres' },
          },
        ],
      },
    });
    ({ agent, client, page, problems } = session);
  });

  afterAll(async () => {
    await session?.stop();
  });

  it('shows the alert firing, live', async () => {
    await openAlertsView();
    await waitFor('the alert to fire', async () => (await openRow().getAttribute('data-state')) === 'firing', {
      timeoutMs: 20_000,
    });
    expect(await openRow().getByTestId('alert-ack').count()).toBe(0);
    // The fleet-wide list has it too (this node published it to the fleet), pushed without a reload.
    const { id: nodeId } = await client.call('node.status', {});
    const fleetRow = page.getByTestId(`fleet-alert-${nodeId}-${ruleId}`);
    await fleetRow.waitFor({ timeout: 20_000 });
    expect(await text(fleetRow)).toContain('lifecycle-e2e (this node)');
    // Its service, from the alert's `service` label, has a column of its own.
    expect(await text(fleetRow.locator('td').nth(1))).toBe('postgres');
    // The sidebar and the window title count what fires across the fleet (the default rules may add to it).
    // (Asked again on each poll: a default rule such as "CPU busy" may start or stop firing on a busy machine.)
    await waitFor('the badge and the title to count the firing alerts', async () => {
      const firing = (await client.call('alerts.list', { scope: 'fleet' })).filter((a) => a.state === 'firing');
      const badge = page.getByTestId('alerts-badge');
      return (
        (await badge.count()) === 1 &&
        (await text(badge)) === String(firing.length) &&
        (await page.title()) === `(${firing.length}) Fleetdeck`
      );
    });
    const fleetCard = page.getByTestId('fleet-open-alerts');
    const filters = fleetCard.getByRole('group', { name: 'Filter the fleet’s alerts' });
    await filters.getByLabel('Group').selectOption('rule');
    expect(await text(fleetCard.locator('.alert-group-row', { hasText: ruleName }))).toBe(`${ruleName} (1)`);
    await filters.getByLabel('Acknowledged').selectOption('yes');
    await fleetCard.getByText('No open alert passes the filters.').waitFor();
    await filters.getByLabel('Acknowledged').selectOption('all');
    await filters.getByLabel('Group').selectOption('none');
    await fleetRow.waitFor();
  });

  it('acknowledges it from the list with a note, and the detail shows the timeline', async () => {
    await openRow()
      .getByRole('button', { name: `Acknowledge ${ruleName}` })
      .click();
    const detail = page.getByTestId('alert-detail');
    await detail.waitFor();
    const form = detail.getByRole('form', { name: `Acknowledge ${ruleName}` });
    await form.getByLabel('Note').fill('resizing the box');
    await form.getByLabel('Acknowledged for').selectOption({ label: '4 hours' });
    await form.getByRole('button', { name: 'Acknowledge' }).click();

    await waitFor(
      'the list to show it acknowledged',
      async () => (await openRow().getByTestId('alert-ack').count()) === 1,
    );
    expect(await text(openRow().getByTestId('alert-ack'))).toMatch(/Acknowledged\s*by loopback until/);
    const timeline = detail.getByTestId('alert-timeline');
    await waitFor('the timeline to show the ack', async () =>
      (await text(timeline)).includes('Acknowledged by loopback — resizing the box'),
    );
    expect(
      await timeline.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-kind'))),
    ).toEqual(['firing', 'acknowledged']);
    const [alert] = await client.call('alerts.list', { state: 'open' });
    expect(alert?.acknowledged).toMatchObject({ by: 'loopback', note: 'resizing the box' });
  });

  it('the detail names the rule, replays its samples, and says what the leader told of it', async () => {
    const detail = page.getByTestId('alert-detail');
    expect(await text(detail.getByTestId('alert-detail-rule'))).toMatch(/^Memory in use: .*memory.*above 0/);
    await detail.getByRole('button', { name: 'Preview on the last 24 h' }).click();
    await detail.getByTestId('preview-summary').waitFor();
    expect(await text(detail.getByTestId('preview-summary'))).toMatch(/Would have fired once in the last 24 h/);
    // No channel is configured: the leader (this node) told nobody.
    await detail.getByText('The leader has told nobody of this alert.').waitFor();
  });

  it('silences it with matchers prefilled from the alert, previewing what the silence covers', async () => {
    await openRow()
      .getByRole('button', { name: `Silence ${ruleName}` })
      .click();
    const form = page.getByRole('form', { name: 'New silence' });
    expect(await form.getByLabel('Matcher 1 label').inputValue()).toBe('node');
    expect(await form.getByLabel('Matcher 2 label').inputValue()).toBe('rule');
    expect(await form.getByLabel('Matcher 2 value').inputValue()).toBe(ruleId);
    const preview = form.getByTestId('silence-preview');
    await waitFor('the preview to list the alert', async () => (await text(preview)).includes(ruleName));
    expect(await text(preview)).toContain('It would silence 1 open alert');

    // A matcher that selects nothing empties the preview; putting it back brings the alert again.
    await form.getByLabel('Matcher 2 value').fill('no-such-rule');
    await waitFor('the preview to empty', async () => (await text(preview)).includes('no open alert'));
    await form.getByLabel('Matcher 2 value').fill(ruleId);
    await form.getByLabel('Comment').fill('planned resize');
    await form.getByRole('button', { name: 'Save silence' }).click();
    await waitFor('the form to close', async () => (await form.count()) === 0);

    await waitFor(
      'the list to show it silenced',
      async () => (await openRow().getByTestId('alert-silenced').count()) === 1,
      {
        timeoutMs: 15_000,
      },
    );
    const silences = page.getByTestId('silences');
    await waitFor('the silence to be listed', async () => (await text(silences)).includes('planned resize'));
    expect(await text(silences)).toContain('loopback');
    expect(await silences.locator('tr[data-state="active"]').count()).toBe(1);
  });

  it('adds a recurring maintenance window, refusing a bad cron expression at its field', async () => {
    const card = page.getByTestId('maintenance-windows');
    await card.getByRole('button', { name: 'New maintenance window' }).click();
    const form = card.getByRole('form', { name: 'New maintenance window' });
    await form.getByLabel('Id').fill('db-patching');
    await form.getByLabel('Name').fill('DB patching');
    await form.getByLabel('Matcher 1 label').fill('role');
    await form.getByLabel('Matcher 1 value').fill('db');
    await form.getByLabel('Cron expression').fill('0 25 * * *');
    await form.getByRole('button', { name: 'Save window' }).click();
    const cron = form.getByLabel('Cron expression');
    await waitFor(
      'the cron field to be marked invalid',
      async () => (await cron.getAttribute('aria-invalid')) === 'true',
    );

    await cron.fill('30 3 * * 0');
    await form.getByLabel('Duration (minutes)').fill('90');
    await form.getByRole('button', { name: 'Save window' }).click();
    await waitFor('the form to close', async () => (await form.count()) === 0);
    await waitFor('the window to be listed', async () => (await card.getByTestId('window-db-patching').count()) === 1);
    expect(await text(card.getByTestId('window-db-patching'))).toContain('30 3 * * 0 for 90 min (UTC)');
    expect(await client.call('fleet.maintenanceWindows.list', {})).toMatchObject([
      {
        id: 'db-patching',
        value: {
          matchers: [{ name: 'role', op: '=', value: 'db' }],
          schedule: { kind: 'recurring', durationMinutes: 90 },
        },
      },
    ]);
  });

  it('keeps the acknowledgement and the silence after a reload', async () => {
    await page.reload();
    await openAlertsView();
    await waitFor('the alert to be listed', async () => (await openRow().count()) === 1, { timeoutMs: 15_000 });
    await waitFor(
      'the ack and silence to show',
      async () =>
        (await openRow().getByTestId('alert-ack').count()) === 1 &&
        (await openRow().getByTestId('alert-silenced').count()) === 1,
    );
    expect(await text(page.getByTestId('silences'))).toContain('planned resize');
    await openRow()
      .getByRole('button', { name: `Details of ${ruleName}` })
      .click();
    await page.getByTestId('alert-timeline').waitFor();
    mkdirSync(join(repoRoot, 'test/artifacts'), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    // The one refused call of the session: the bad cron expression, refused by the agent on purpose above.
    expect(problems).toEqual([
      'console error: Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
  });
});
