import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAlertRules } from '../../electron/alerts/default-rules.js';
import { demoAlertRules } from '../../electron/demo/demo-rules.js';
import type { FleetdeckClient } from '../../shared/client.js';
import type { NodeStatus } from '../../shared/node.js';
import { repoRoot, type AgentProcess } from '../support/agent-process.js';
import { waitFor } from '../support/poll.js';
import { startUiSession, type UiSession } from '../support/ui-session.js';

const alertsScreenshotPath = join(repoRoot, 'test/artifacts/alerts-view.png');
const detailScreenshotPath = join(repoRoot, 'test/artifacts/alert-detail.png');
const templatesScreenshotPath = join(repoRoot, 'test/artifacts/check-templates.png');
const ruleId = 'e2e-memory';
const ruleName = 'Memory in use';
/** A rule of this node's config file (read-only); a fleet rule of its id is refused here and reported. */
const configRule = {
  id: 'node-disk-full',
  name: 'Disk of this node full',
  signal: { kind: 'resource', metric: 'disk' },
  threshold: 99,
} as const;
const shadowedRuleId = configRule.id;
const templateId = 'e2e-heartbeat';
/** demo-cache is the demo service tagged `tcp` (electron/demo/demo-services.ts). */
const templatedServiceId = 'demo-cache';
const templateCheck = 'heartbeat';
/** Member summaries are published at a bounded rate, so counts and config errors arrive a few seconds late. */
const summaryTimeoutMs = 20_000;
/** Every fleet starts with the defaults, and the demo adds its own: all fleet rules, editable and removable. */
const seededRuleIds = [...defaultAlertRules(), ...demoAlertRules()].map((rule) => rule.id).sort();

describe('the Alerts view and check templates on a demo agent', () => {
  let session: UiSession | undefined;
  let agent: AgentProcess | undefined;
  let client: FleetdeckClient;
  let self: NodeStatus;
  let page: Page;
  let problems: string[];

  const nav = () => page.getByRole('navigation', { name: 'Views' });
  const fleetRow = () => page.getByTestId(`fleet-alerts-${self.id}`);
  const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();
  const fleetRuleIds = async () => (await client.call('fleet.alertRules.list', {})).map((entry) => entry.id).sort();

  beforeAll(async () => {
    session = await startUiSession({
      command: 'demo',
      config: { resources: { intervalMs: 500 }, alertRules: [configRule] },
    });
    ({ agent, client, page, problems } = session);
    self = await client.call('node.status', {});
  });

  afterAll(async () => {
    await session?.stop();
  });

  it('opens the Alerts view with the config file’s rule read-only and the demo’s rules editable, for the fleet', async () => {
    await page.goto(agent!.url);
    await nav()
      .getByRole('link', { name: /^Alerts( \d+ firing)?$/ })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Alerts', exact: true }).waitFor();
    const fromConfig = page.getByTestId(`rule-${configRule.id}`);
    await fromConfig.waitFor();
    expect(await text(fromConfig.locator('.source-badge'))).toBe('Config file');
    expect(await fromConfig.getByText('Config file, read-only').count()).toBe(1);
    expect(await fromConfig.getByRole('button').count()).toBe(0);
    const demoRule = page.locator('[data-testid="rule-demo-payments-down"]').first();
    await demoRule.waitFor();
    expect(await text(demoRule.locator('.source-badge'))).toBe('Fleet');
    expect(await demoRule.getByRole('button', { name: 'Edit' }).count()).toBe(1);
    const defaultRule = page.getByTestId('rule-default-cpu-high');
    await defaultRule.waitFor();
    expect(await text(defaultRule.locator('.source-badge'))).toBe('Fleet');
    expect(await text(defaultRule)).toContain('CPU above 90 %, clears at 80 %');
    await fleetRow().waitFor();
  });

  it('refuses a rule the contract would refuse, next to the field, before calling the agent', async () => {
    await page.getByRole('toolbar', { name: 'Alert actions' }).getByRole('button', { name: 'Add rule' }).click();
    const form = page.getByRole('form', { name: 'Add alert rule for the whole fleet' });
    await form.getByLabel('Threshold', { exact: true }).fill('90');
    await form.getByLabel('Clear threshold', { exact: true }).fill('95');
    await form.getByRole('button', { name: 'Save for the whole fleet' }).click();
    const clear = form.getByLabel('Clear threshold', { exact: true });
    await waitFor(
      'the clear threshold to be marked invalid',
      async () => (await clear.getAttribute('aria-invalid')) === 'true',
    );
    expect(await form.getByText('must be at most the threshold').count()).toBe(1);
    expect(await form.getByLabel('ID', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await fleetRuleIds()).toEqual(seededRuleIds);
  });

  it('creates a fleet rule that holds at once and shows it firing', async () => {
    const form = page.getByRole('form', { name: 'Add alert rule for the whole fleet' });
    await form.getByLabel('ID', { exact: true }).fill(ruleId);
    await form.getByLabel('Name', { exact: true }).fill(ruleName);
    await form.getByLabel('Severity').selectOption('warning');
    await form.getByLabel('For', { exact: true }).fill('0s');
    await form.getByLabel('Fires on').selectOption('resource');
    await form.getByLabel('Resource').selectOption('memory');
    await form.getByLabel('Operator').selectOption('above');
    await form.getByLabel('Threshold', { exact: true }).fill('0');
    await form.getByLabel('Clear threshold', { exact: true }).fill('');
    await form.getByLabel('Labels').fill('team=e2e');

    // The preview replays the rule on the samples this node stored since it started: firing all along.
    await form.getByRole('button', { name: 'Preview on the last 24 h' }).click();
    const preview = form.getByTestId('rule-preview');
    const chart = preview.getByTestId('rule-preview-chart');
    expect(await chart.locator('path.chart-line').getAttribute('d')).toMatch(/^M/);
    // Firing all along: one shaded band, and the threshold (0) drawn across.
    expect(await chart.locator('rect.band-firing').count()).toBe(1);
    expect(await chart.locator('line.threshold-fires').count()).toBe(1);
    expect(await text(preview.getByTestId('preview-summary'))).toMatch(/^Would have fired once in the last 24 h/);
    expect(await text(preview.getByTestId('preview-intervals'))).toMatch(/^Firing from .+ until now$/);
    await form.getByRole('button', { name: 'Save for the whole fleet' }).click();
    await waitFor('the form to close', async () => (await form.count()) === 0);

    expect((await client.call('fleet.alertRules.list', {})).find((entry) => entry.id === ruleId)).toMatchObject({
      problem: null,
      value: {
        name: ruleName,
        forSeconds: 0,
        labels: { team: 'e2e' },
        signal: { kind: 'resource', metric: 'memory' },
        operator: 'above',
        threshold: 0,
      },
    });

    const open = page.getByTestId(`open-alert-${ruleId}`);
    await waitFor('the alert to fire', async () => (await open.getAttribute('data-state')) === 'firing', {
      timeoutMs: 15_000,
    });
    expect(await open.locator('[data-severity]').getAttribute('data-severity')).toBe('warning');
    expect(await text(open)).toContain(ruleName);
    expect(await text(open)).toMatch(/\d %/);

    const rule = page.getByTestId(`rule-${ruleId}`);
    await waitFor(
      'the rule to show firing',
      async () => (await rule.locator('[data-state]').getAttribute('data-state')) === 'firing',
    );
    expect(await text(rule.locator('.source-badge'))).toBe('Fleet');
  });

  it('shows the value now and the value that fired it, in the row and in the alert’s detail', async () => {
    const [fired] = await client.call('alerts.list', { state: 'open', ruleId });
    const firedText = `${Number(fired!.firingValue!.toFixed(1))} %`;
    const open = page.getByTestId(`open-alert-${ruleId}`);
    expect(await text(open.getByTestId('alert-value'))).toMatch(new RegExp(`^\\d+(\\.\\d)? % fired at ${firedText}$`));

    await open.getByRole('button', { name: `Details of ${ruleName}` }).click();
    const detail = page.getByTestId('alert-detail');
    await detail.waitFor();
    expect(await text(detail.getByTestId('alert-fired-value'))).toMatch(new RegExp(`^${firedText} on .+`));
    // The value now is the rule's at its last evaluation (memory moves: read both until they agree).
    await waitFor('the value now to be the rule’s', async () => {
      const state = (await client.call('alerts.rules.list', {})).find((r) => r.rule.id === ruleId);
      return (await text(detail.getByTestId('alert-value-now'))) === `${Number(state!.value!.toFixed(1))} %`;
    });
    await detail.screenshot({ path: detailScreenshotPath });
    await detail.getByRole('button', { name: 'Close' }).click();
    await detail.waitFor({ state: 'detached' });
  });

  it('counts the open alert on this node across the fleet', async () => {
    const warnings = fleetRow().getByTestId('count-warning');
    await waitFor('the warning count to reach 1', async () => (await text(warnings)) === '1', {
      timeoutMs: summaryTimeoutMs,
    });
    mkdirSync(join(repoRoot, 'test/artifacts'), { recursive: true });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: alertsScreenshotPath, fullPage: true });
  });

  it('edits the rule so it cannot hold, and shows the alert resolved in the history', async () => {
    await page.getByTestId(`rule-${ruleId}`).getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: `Edit ${ruleName} for the whole fleet` });
    expect(await form.getByLabel('ID', { exact: true }).inputValue()).toBe(ruleId);
    expect(await form.getByLabel('Resource').inputValue()).toBe('memory');
    await form.getByLabel('Threshold', { exact: true }).fill('100');
    await form.getByRole('button', { name: 'Save changes' }).click();

    const open = page.getByTestId(`open-alert-${ruleId}`);
    await waitFor('the alert to leave the open alerts', async () => (await open.count()) === 0, { timeoutMs: 15_000 });
    const past = page.getByTestId(`history-alert-${ruleId}`).first();
    await waitFor(
      'the history to show it resolved',
      async () => (await past.getAttribute('data-state')) === 'resolved',
    );
    expect(await text(past.getByTestId('alert-duration'))).toMatch(/^\d+ s$|^\d+ m \d{2} s$/);
    const [resolved] = await client.call('alerts.list', { state: 'all', ruleId });
    expect(resolved).toMatchObject({ state: 'resolved', ruleId });
    expect(resolved!.resolvedAt).toBeGreaterThanOrEqual(resolved!.startedAt);
    await waitFor('the count to drop to 0', async () => (await text(fleetRow().getByTestId('count-warning'))) === '0', {
      timeoutMs: summaryTimeoutMs,
    });
  });

  it('deletes the rule after confirmation', async () => {
    const rule = page.getByTestId(`rule-${ruleId}`);
    await rule.getByRole('button', { name: 'Delete' }).click();
    await rule
      .getByRole('group', { name: `Confirm deleting ${ruleId}` })
      .getByRole('button', { name: `Delete ${ruleId} everywhere` })
      .click();
    await waitFor('the rule row to disappear', async () => (await rule.count()) === 0);
    expect(await fleetRuleIds()).toEqual(seededRuleIds);
  });

  it('shows the node’s config error for a fleet rule it cannot apply', async () => {
    // Saved through the API, as another console would: this node's config file already has the id.
    await client.call('fleet.alertRules.put', {
      value: {
        id: shadowedRuleId,
        name: 'Shadowed',
        condition: { kind: 'resource', metric: 'disk', abovePercent: 50 },
      },
    });
    const errors = fleetRow().getByTestId('rule-errors');
    await waitFor('the config error to be shown', async () => (await text(errors)).includes(shadowedRuleId), {
      timeoutMs: summaryTimeoutMs,
    });
    const fleetCopy = page.locator(`[data-testid="rule-${shadowedRuleId}"][data-source="fleet"]`);
    await waitFor('the stored fleet copy to be listed', async () => (await fleetCopy.count()) === 1);
    expect(await text(fleetCopy)).toContain('config file has a rule of this id');

    await fleetCopy.getByRole('button', { name: 'Delete' }).click();
    await fleetCopy.getByRole('button', { name: `Delete ${shadowedRuleId} everywhere` }).click();
    await waitFor('the fleet copy to disappear', async () => (await fleetCopy.count()) === 0);
    expect(await fleetRuleIds()).toEqual(seededRuleIds);
    await waitFor('the config error to clear', async () => (await text(errors)) === 'None', {
      timeoutMs: summaryTimeoutMs,
    });
  });

  it('adds a check template for a demo tag and shows the templated check on that service', async () => {
    await nav().getByRole('link', { name: 'Services', exact: true }).click();
    const section = page.getByRole('region', { name: 'Check templates for the whole fleet' });
    await section.getByText('No check templates yet.').waitFor();
    await section.getByRole('button', { name: 'Add check template' }).click();
    const form = section.getByRole('form', { name: 'Add check template' });
    await form.getByLabel('Template ID').fill(templateId);
    await form.getByLabel('Service tags').fill('tcp');
    const check = form.getByRole('group', { name: /^Check 1/ });
    expect(await check.getByLabel('Type').inputValue()).toBe('ttl');
    await check.getByLabel('Check name').fill(templateCheck);
    await check.getByLabel('TTL', { exact: true }).fill('1m');
    expect(await check.getByRole('button', { name: 'Remove check 1' }).isVisible()).toBe(false);
    await form.getByRole('button', { name: 'Save template for the whole fleet' }).click();

    const row = section.getByTestId(`template-${templateId}`);
    await row.waitFor();
    expect(await client.call('fleet.checkTemplates.list', {})).toMatchObject([
      { id: templateId, problem: null, value: { serviceTags: ['tcp'], check: { name: templateCheck, type: 'ttl' } } },
    ]);
    await waitFor('the tagged service to be listed', async () =>
      (await text(row.getByTestId('template-services-here'))).includes(templatedServiceId),
    );

    await page.getByTestId(`service-${templatedServiceId}`).getByRole('button').click();
    const card = page.getByTestId('service-details').getByTestId(`check-${templateCheck}`);
    await card.waitFor({ timeout: 15_000 });
    expect(await text(card.locator('.template-badge'))).toBe(`template ${templateId}`);
    const [service] = (await client.call('services.list', {})).filter((s) => s.definition.id === templatedServiceId);
    expect(service?.checks.find((c) => c.name === templateCheck)?.template).toBe(templateId);

    mkdirSync(join(repoRoot, 'test/artifacts'), { recursive: true });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: templatesScreenshotPath, fullPage: true });
  });

  it('deletes the template after confirmation, and its check goes with it', async () => {
    const section = page.getByRole('region', { name: 'Check templates for the whole fleet' });
    const row = section.getByTestId(`template-${templateId}`);
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('button', { name: `Delete ${templateId} everywhere` }).click();
    await waitFor('the template row to disappear', async () => (await row.count()) === 0);
    expect(await client.call('fleet.checkTemplates.list', {})).toEqual([]);
    const card = page.getByTestId('service-details').getByTestId(`check-${templateCheck}`);
    await waitFor('the templated check to disappear', async () => (await card.count()) === 0, { timeoutMs: 15_000 });
  });

  it('reports no console errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
