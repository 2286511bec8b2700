import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, type AgentProcess } from '../support/agent-process.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { waitFor } from '../support/poll.js';
import { startUiSession, type UiSession } from '../support/ui-session.js';

const screenshotPath = join(repoRoot, 'test/artifacts/settings-view.png');

async function openSettings(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Settings', exact: true }).waitFor();
}

describe('Settings: save a coordination backend and reconnect (browser, agent process, real etcd)', () => {
  let etcd: EtcdCluster | undefined;
  let session: UiSession | undefined;
  let agent: AgentProcess | undefined;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    session = await startUiSession({ command: 'demo' }, { width: 1400, height: 1000 });
    ({ agent, page, problems } = session);
  }, 60_000);

  afterAll(async () => {
    await session?.stop();
    await etcd?.stop();
  });

  it('shows the backend in use, saves an etcd endpoint, and the agent reconnects on it', async () => {
    await openSettings(page, agent!.url);
    const form = page.getByRole('form', { name: 'Coordination backend' });
    const current = page.getByTestId('cluster-settings-current');
    await waitFor('the current backend', async () =>
      /embedded local backend/.test((await current.textContent()) ?? ''),
    );
    expect(await current.textContent()).toMatch(/from the config file or the defaults/);
    expect(await page.getByTestId('settings-cluster-backend').textContent()).toMatch(/^Local/);
    expect(await form.getByLabel('Backend').inputValue()).toBe('local');
    const save = form.getByRole('button', { name: 'Save and reconnect' });
    expect(await save.isEnabled()).toBe(true);

    await form.getByLabel('Backend').selectOption('etcd');
    const endpoints = form.getByLabel('Endpoints');
    // A wrong value is named on its field, and nothing is saved.
    await endpoints.fill('etcd.invalid:2379');
    await save.click();
    await form.getByText('"etcd.invalid:2379" must be an http:// or https:// URL').waitFor();
    expect(await page.getByTestId('cluster-save-result').textContent()).toMatch(/^Not saved:/);
    expect(existsSync(join(agent!.dataDir, 'backend.json'))).toBe(false);

    await endpoints.fill(etcd!.endpoints[0]!);
    await save.click();
    const result = page.getByTestId('cluster-save-result');
    await result.locator('[data-outcome="saved"]').waitFor({ timeout: 20_000 });
    expect(await result.textContent()).toMatch(/Saved and reconnected.*now runs on etcd/);
    await waitFor('the agent to show etcd, connected', async () => {
      const backend = await page.getByTestId('settings-cluster-backend').textContent();
      const state = await page.getByTestId('settings-cluster-state').getAttribute('data-state');
      return backend === 'etcd' && state === 'connected';
    });
    await waitFor('the form to show the saved backend', async () =>
      /etcd at .* saved from Settings/.test((await current.textContent()) ?? ''),
    );
    expect(await endpoints.inputValue()).toBe(etcd!.endpoints[0]);
    expect(await session!.client.call('cluster.status', {})).toMatchObject({ backend: 'etcd' });
    expect(existsSync(join(agent!.dataDir, 'backend.json'))).toBe(true);
    // The connection to the agent never dropped: the same page, the same events stream.
    expect(await page.getByTestId('settings-transport').textContent()).toMatch(/^HTTP/);

    mkdirSync(join(repoRoot, 'test/artifacts'), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    expect(problems).toEqual([]);
  }, 60_000);
});
