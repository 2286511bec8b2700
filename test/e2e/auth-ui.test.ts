import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startUiSession, type UiSession } from '../support/ui-session.js';
import { waitFor } from '../support/poll.js';

const nodeStatus = (url: string, token: string) =>
  fetch(`${url}/rpc/node.status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: '{}',
  });

/** The answers a refused login or call gets are logged by Chromium as failed loads; nothing else may be. */
const unexpected = (problems: string[]) =>
  problems.filter((problem) => !/status of 401 \(Unauthorized\)/.test(problem));

describe('Login and Settings → Tokens (browser, agent process needing tokens)', () => {
  let session: UiSession;
  let page: Page;
  let initial: string;

  beforeAll(async () => {
    session = await startUiSession({ config: { api: { auth: 'required' } } }, { width: 1400, height: 1000 });
    page = session.page;
    initial = /fd_[A-Za-z0-9_-]{43}/.exec(session.agent.stderr.join('\n'))![0];
  }, 60_000);

  afterAll(async () => {
    await session?.stop();
  });

  it('asks for a token, refuses a wrong one, and opens the app with the right one', async () => {
    await page.goto(session.agent.url);
    const login = page.getByRole('form', { name: 'Log in to Fleetdeck' });
    await login.waitFor();
    await login.getByLabel('Token').fill(`fd_${'z'.repeat(43)}`);
    await login.getByRole('button', { name: 'Log in' }).click();
    await login.getByText('unknown token').waitFor();

    await login.getByLabel('Token').fill(initial);
    await login.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
    // The session is an HttpOnly cookie: the page's script cannot read it.
    expect(await page.evaluate('document.cookie')).toBe('');
  });

  it('creates a token (its secret shown once), lists it and revokes it', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Settings', exact: true }).click();
    const card = page.getByTestId('tokens-card');
    await card.getByTestId('token-row').first().waitFor();
    expect(await card.locator('[data-testid="token-row"][data-name="initial-admin"]').textContent()).toContain('admin');

    const form = card.getByRole('form', { name: 'Create a token' });
    await form.getByLabel('Name').fill('grafana');
    await form.getByLabel('Scope').selectOption('read');
    await form.getByRole('button', { name: 'Create token' }).click();
    const secret = (await card.getByTestId('token-secret-value').textContent())!;
    expect(secret).toMatch(/^fd_[A-Za-z0-9_-]{43}$/);
    const row = card.locator('[data-testid="token-row"][data-name="grafana"]');
    await row.waitFor();
    expect(await row.textContent()).toContain(secret.slice(0, 9));
    expect(await row.textContent()).not.toContain(secret.slice(9));
    expect((await nodeStatus(session.agent.url, secret)).status).toBe(200);

    await card.getByRole('button', { name: 'Done' }).click();
    expect(await card.getByTestId('token-secret').count()).toBe(0);

    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Revoke grafana' }).click();
    await waitFor('the row to show the token revoked', async () => (await row.getAttribute('data-revoked')) === 'true');
    expect((await nodeStatus(session.agent.url, secret)).status).toBe(401);
  });

  it('revoking the token this browser logged in with ends its session: the login form is back', async () => {
    const row = page.getByTestId('tokens-card').locator('[data-testid="token-row"][data-name="initial-admin"]');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Revoke initial-admin' }).click();
    await page.getByRole('form', { name: 'Log in to Fleetdeck' }).waitFor();
    expect(unexpected(session.problems)).toEqual([]);
  });
});
