import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetdeckClient } from '../../shared/client.js';
import { repoRoot, type AgentProcess } from '../support/agent-process.js';
import { startUiSession, type UiSession } from '../support/ui-session.js';

const screenshotPath = join(repoRoot, 'test/artifacts/fleet-rules.png');

describe('fleet rules in the Alerts view', () => {
  let session: UiSession | undefined;
  let agent: AgentProcess;
  let client: FleetdeckClient;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    session = await startUiSession({ command: 'agent' }, { width: 1400, height: 1000 });
    ({ agent, client, page, problems } = session);
  });

  afterAll(async () => {
    await session?.stop();
  });

  it('edits a default rule, adds a quorum check (refused at its field first), keeps both after a reload', async () => {
    await page.goto(`${agent.url}/#/alerts`);
    const card = page.getByTestId('fleet-rules');
    const memberDown = card.getByTestId('fleet-rule-member-down');
    await memberDown.getByText('Default', { exact: true }).waitFor();

    await memberDown.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit fleet rule Member down' });
    await edit.getByLabel('Grace', { exact: true }).fill('1m30s');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await memberDown.getByText('Changed from default').waitFor();
    expect(await memberDown.textContent()).toContain('for 90 s after its lease expired');

    await card.getByRole('button', { name: 'Add fleet rule' }).click();
    const add = page.getByRole('form', { name: 'Add fleet rule' });
    await add.getByLabel('Type').selectOption('quorum-check');
    await add.getByLabel('ID', { exact: true }).fill('web-quorum');
    await add.getByLabel('Name', { exact: true }).fill('Web from everywhere');
    await add.getByLabel('Check template').fill('web-http');
    await add.getByLabel('Quorum (K nodes)').fill('0');
    await add.getByRole('button', { name: 'Save for the whole fleet' }).click();
    await add.locator('.field-error').first().waitFor();
    expect(await add.getByLabel('Quorum (K nodes)').getAttribute('aria-invalid')).toBe('true');
    await add.getByLabel('Quorum (K nodes)').fill('2');
    await add.getByLabel('Partial outage').selectOption('warning');
    await add.getByRole('button', { name: 'Save for the whole fleet' }).click();
    await card.getByTestId('fleet-rule-web-quorum').waitFor();

    await page.reload();
    await card.getByTestId('fleet-rule-web-quorum').getByText('Saved', { exact: true }).waitFor();
    expect(await card.getByTestId('fleet-rule-web-quorum').textContent()).toContain(
      'template web-http critical on at least 2 nodes; fewer: partial outage (warning)',
    );
    await memberDown.getByText('Changed from default').waitFor();
    const saved = await client.call('fleet.fleetRules.list', {});
    expect(saved.map((entry) => entry.value).sort((a, b) => a!.id.localeCompare(b!.id))).toEqual([
      {
        id: 'member-down',
        name: 'Member down',
        type: 'member-down',
        severity: 'critical',
        enabled: true,
        graceSeconds: 90,
      },
      {
        id: 'web-quorum',
        name: 'Web from everywhere',
        type: 'quorum-check',
        severity: 'critical',
        enabled: true,
        templateId: 'web-http',
        quorum: 2,
        partialSeverity: 'warning',
        forSeconds: 0,
      },
    ]);
    await card.screenshot({ path: screenshotPath });
    expect(problems).toEqual([]);
  });

  it('deleting a changed default brings the default back', async () => {
    const memberDown = page.getByTestId('fleet-rules').getByTestId('fleet-rule-member-down');
    await memberDown.getByRole('button', { name: 'Delete' }).click();
    await memberDown.getByRole('button', { name: 'Delete member-down everywhere' }).click();
    await memberDown.getByText('Default', { exact: true }).waitFor();
    expect(await memberDown.textContent()).toContain('for 30 s after its lease expired');
    expect((await client.call('fleet.fleetRules.list', {})).map((entry) => entry.id)).toEqual(['web-quorum']);
    expect(problems).toEqual([]);
  });
});
