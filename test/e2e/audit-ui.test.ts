import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditRecord } from '../../shared/audit.js';
import type { FleetdeckClient } from '../../shared/client.js';
import { repoRoot, type AgentProcess } from '../support/agent-process.js';
import { waitFor } from '../support/poll.js';
import { startUiSession, type UiSession } from '../support/ui-session.js';

const screenshotPath = join(repoRoot, 'test/artifacts/audit.png');
const secret = 'Bearer hunter2-in-a-header';

describe('Settings → Audit (browser, agent process)', () => {
  let session: UiSession | undefined;
  let agent: AgentProcess | undefined;
  let client: FleetdeckClient;
  let page: Page;
  let problems: string[];

  const card = () => page.getByTestId('audit-card');
  const rows = () => card().getByTestId('audit-row');
  const rowTexts = async () => (await rows().allTextContents()).map((text) => text.replace(/\s+/g, ' '));

  beforeAll(async () => {
    session = await startUiSession({ command: 'agent' }, { width: 1400, height: 1000 });
    ({ agent, client, page, problems } = session);
  }, 30_000);

  afterAll(async () => {
    await session?.stop();
  });

  it('shows a call made through the API as it happens, masked; filters narrow the list; export downloads it', async () => {
    await page.goto(agent!.url);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Settings', exact: true }).click();
    await card().getByText('No audit records match.').waitFor();

    await client.call('services.upsert', {
      service: {
        id: 'billing',
        name: 'Billing',
        checks: [{ name: 'api', type: 'http', url: 'http://127.0.0.1:9/', headers: { Authorization: secret } }],
      },
    });
    await client.call('services.remove', { id: 'billing' });
    // A read is not a change: it never shows.
    await client.call('services.list', {});

    await waitFor('both calls in the table, newest first', async () => (await rows().count()) === 2);
    const [removed, upserted] = await rowTexts();
    expect(removed).toMatch(/loopback.*127\.0\.0\.1.*services\.remove.*"id":"billing".*OK/);
    expect(upserted).toMatch(/services\.upsert.*"Authorization":"\*\*\*"/);
    expect((await rowTexts()).join(' ')).not.toContain('hunter2');

    const filters = card().getByRole('search', { name: 'Filter the audit log' });
    await filters.getByLabel('Method').fill('services.up');
    await waitFor('only the upsert', async () => (await rows().count()) === 1);
    expect((await rowTexts())[0]).toMatch(/services\.upsert/);
    // Its params open in full, secrets masked.
    await rows().first().locator('summary').click();
    const params = rows().first().locator('pre');
    await params.waitFor();
    expect(await params.textContent()).toMatch(/"Authorization": "\*\*\*"/);
    await filters.getByLabel('Outcome').selectOption('error');
    await card().getByText('No audit records match.').waitFor();
    await filters.getByLabel('Outcome').selectOption('');
    await waitFor('the upsert again', async () => (await rows().count()) === 1);

    // A change made while the list is filtered shows if it matches.
    await client.call('services.upsert', { service: { id: 'ledger', name: 'Ledger', checks: [] } });
    await waitFor('the new upsert', async () => (await rows().count()) === 2);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card().getByRole('button', { name: 'Export JSON lines' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('fleetdeck-audit.jsonl');
    const lines = readFileSync((await download.path())!, 'utf8')
      .trimEnd()
      .split('\n');
    const exported = lines.map((line) => AuditRecord.parse(JSON.parse(line)));
    expect(exported.map((record) => record.method)).toEqual(['services.upsert', 'services.upsert']);
    expect(exported.map((record) => (record.params as { service: { id: string } }).service.id)).toEqual([
      'billing',
      'ledger',
    ]);
    expect(lines.join('\n')).not.toContain('hunter2');
    expect(await card().getByTestId('audit-export-status').textContent()).toBe(
      'Exported 2 records to fleetdeck-audit.jsonl.',
    );

    mkdirSync(join(repoRoot, 'test/artifacts'), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    expect(problems).toEqual([]);
  }, 60_000);
});
