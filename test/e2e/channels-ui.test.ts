import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../electron/core/free-port.js';
import type { FleetdeckClient } from '../../shared/client.js';
import { repoRoot, type AgentProcess } from '../support/agent-process.js';
import { waitFor } from '../support/poll.js';
import { startUiSession, type UiSession } from '../support/ui-session.js';
import { signatureValid, WebhookReceiver } from '../support/webhook-receiver.js';

const screenshotPath = join(repoRoot, 'test/artifacts/alert-channels.png');
const hmacSecret = 'e2e-whsec-5d1f';

describe('notification channels in the Alerts view', () => {
  let session: UiSession | undefined;
  let agent: AgentProcess;
  let client: FleetdeckClient;
  let page: Page;
  let problems: string[];
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await new WebhookReceiver(await freePort()).start();
    session = await startUiSession({ command: 'agent' }, { width: 1400, height: 1000 });
    ({ agent, client, page, problems } = session);
  });

  afterAll(async () => {
    await session?.stop();
    await receiver.stop();
  });

  it('adds a signed webhook channel, sends a test and shows what the receiver answered', async () => {
    await page.goto(`${agent.url}/#/alerts`);
    const card = page.getByTestId('channels-card');
    await card.getByText('No channels yet').waitFor();
    await card.getByRole('button', { name: 'Add channel' }).click();

    const form = page.getByRole('form', { name: 'Add notification channel' });
    await form.getByLabel('ID', { exact: true }).fill('ops-hook');
    await form.getByLabel('Name', { exact: true }).fill('Ops hook');
    await form.getByLabel('Type').selectOption('webhook');
    await form.getByLabel('URL').fill(receiver.url);
    await form.getByLabel('Signing secret (HMAC-SHA256): from').selectOption('value');
    await form.getByLabel('Value').fill(hmacSecret);
    await form.getByRole('button', { name: 'Save for the whole fleet' }).click();

    const row = card.locator('tr[data-channel="ops-hook"]');
    await row.waitFor();
    const listed = await client.call('fleet.channels.list', {});
    expect(listed).toMatchObject([{ id: 'ops-hook', value: { settings: { secret: { set: true } } } }]);
    expect(JSON.stringify(listed)).not.toContain(hmacSecret);

    receiver.status = 202;
    receiver.reply = 'accepted by the e2e receiver';
    await row.getByRole('button', { name: 'Send test' }).click();
    await row.getByTestId('channel-test-ops-hook').waitFor();
    expect(await row.getByTestId('channel-test-ops-hook').textContent()).toBe(
      'Sent: HTTP 202: accepted by the e2e receiver',
    );
    const post = receiver.posts.at(-1)!;
    expect(signatureValid(post, hmacSecret)).toBe(true);

    // Editing without retyping the secret keeps it.
    await row.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit channel Ops hook' });
    expect(await edit.getByLabel('Value').getAttribute('placeholder')).toBe('set — leave empty to keep');
    await edit.getByLabel('Name', { exact: true }).fill('Ops hook (signed)');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await row.getByText('Ops hook (signed)').waitFor();
    const before = receiver.posts.length;
    await row.getByRole('button', { name: 'Send test' }).click();
    await waitFor('a second test at the receiver', () => receiver.posts.length > before);
    expect(signatureValid(receiver.posts.at(-1)!, hmacSecret)).toBe(true);

    await page.screenshot({ path: screenshotPath, fullPage: true });
    expect(problems).toEqual([]);
  });

  it('removes the channel once asked twice', async () => {
    const row = page.locator('tr[data-channel="ops-hook"]');
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('button', { name: 'Delete ops-hook everywhere' }).click();
    await page.getByTestId('channels-card').getByText('No channels yet').waitFor();
    expect(await client.call('fleet.channels.list', {})).toEqual([]);
  });
});
