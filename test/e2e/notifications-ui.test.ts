import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetdeckClient } from '../../shared/client.js';
import { repoRoot, type AgentProcess } from '../support/agent-process.js';
import { waitFor } from '../support/poll.js';
import { startUiSession, type UiSession } from '../support/ui-session.js';

const screenshotPath = join(repoRoot, 'test/artifacts/notifications-card.png');
const ruleId = 'e2e-notify';
const ruleName = 'Memory in use';
/** Alert records reach the page after the agent's evaluation tick and its coalesced fleetAlerts.changed. */
const alertTimeoutMs = 20_000;

/**
 * Records each Web notification the page creates before creating it (headless Chromium shows none, but grants the
 * permission): injected by the browser, so it runs before the app under its strict CSP.
 */
const recordNotifications = `
  const Real = window.Notification;
  window.shownNotifications = [];
  window.Notification = class extends Real {
    constructor(title, options) {
      super(title, options);
      window.shownNotifications.push({ title, body: options && options.body, tag: options && options.tag });
      window.lastNotification = this;
    }
  };
`;

interface Shown {
  title: string;
  body: string;
  tag: string;
}

describe('browser notifications of fleet alerts', () => {
  let session: UiSession | undefined;
  let agent: AgentProcess;
  let client: FleetdeckClient;
  let page: Page;
  let problems: string[];

  const shown = () =>
    page.evaluate(() => (globalThis as unknown as { shownNotifications: Shown[] }).shownNotifications);
  const card = () => page.getByTestId('notifications-card');

  beforeAll(async () => {
    session = await startUiSession({ command: 'agent', config: { resources: { intervalMs: 500 } } });
    ({ agent, client, page, problems } = session);
    await page.context().grantPermissions(['notifications'], { origin: new URL(agent.url).origin });
    await page.addInitScript(recordNotifications);
  });

  afterAll(async () => {
    await session?.stop();
  });

  it('offers the Web Notification API in Settings, with the filter kept in this browser', async () => {
    await page.goto(`${agent.url}#/settings`);
    await card().waitFor();
    expect(await card().getByTestId('notifications-permission').getAttribute('data-permission')).toBe('granted');
    await card().getByLabel('Severity').selectOption('critical');
    await card().getByRole('button', { name: 'Save' }).click();
    await card().getByRole('status').getByText('Saved.').waitFor();
    await page.reload();
    await card().waitFor();
    expect(await card().getByLabel('Severity').inputValue()).toBe('critical');
    await card().getByLabel('Do not disturb').check();
    await card().getByLabel('From').fill('25:00');
    await card().getByRole('button', { name: 'Save' }).click();
    expect(await card().getByLabel('From').getAttribute('aria-invalid')).toBe('true');
    await card().getByLabel('From').fill('23:00');
    expect(await card().getByLabel('From').getAttribute('aria-invalid')).toBeNull();
    await card().screenshot({ path: screenshotPath });
  });

  it('shows a firing alert at the chosen severity once, and in a later tab only what happened since', async () => {
    await client.call('fleet.alertRules.put', {
      value: {
        id: ruleId,
        name: ruleName,
        severity: 'critical',
        signal: { kind: 'resource', metric: 'memory' },
        operator: 'above',
        threshold: 0,
      },
    });
    const firing = `CRITICAL: ${ruleName} firing`;
    await waitFor('the firing notification', async () => (await shown()).some((n) => n.title === firing), {
      timeoutMs: alertTimeoutMs,
    });
    const [alert] = await client.call('alerts.list', { ruleId });
    expect(alert?.state).toBe('firing');

    // No tab open while it is acknowledged: the next one shows that, and not the firing this browser already showed.
    await page.goto('about:blank');
    await client.call('alerts.acknowledge', { id: alert!.id, note: 'on it' });
    await waitFor('the fleet record to carry the acknowledgement', async () => {
      const listed = await client.call('alerts.list', { scope: 'fleet', ruleId });
      return listed[0]?.acknowledged?.by === 'loopback';
    });
    await page.goto(`${agent.url}#/settings`);
    const acknowledged = `CRITICAL: ${ruleName} acknowledged by loopback`;
    await waitFor('the acknowledged notification', async () => (await shown()).some((n) => n.title === acknowledged), {
      timeoutMs: alertTimeoutMs,
    });
    // Only this rule's: a default rule may fire on a busy machine meanwhile.
    const ours = (await shown()).filter((n) => n.title.includes(ruleName));
    expect(ours.map((n) => n.title)).toEqual([acknowledged]);
    expect(problems).toEqual([]);
  });

  it('opens the alert in the Alerts view when its notification is clicked', async () => {
    await page.evaluate(() =>
      (globalThis as unknown as { lastNotification: EventTarget }).lastNotification.dispatchEvent(new Event('click')),
    );
    const detail = page.getByTestId('alert-detail');
    await detail.waitFor();
    expect(new URL(page.url()).hash).toBe('#/alerts');
    expect(await detail.textContent()).toContain(ruleName);
    expect(problems).toEqual([]);
  });
});
