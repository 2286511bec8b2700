import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { views } from '../../renderer/shell/views.js';
import { repoRoot } from '../support/agent-process.js';
import { startUiSession, type UiSession } from '../support/ui-session.js';

const artifacts = join(repoRoot, 'test/artifacts/views');

/** What the operator sees scrolled past the window's right edge, if anything: the widest element's overflow. */
const horizontalOverflow = (page: Page) =>
  page.evaluate(() => {
    // Runs in the page; the node typings this file is checked with have no DOM.
    const root = (
      globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
    ).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });

describe('every view on the demo at 1440×900', () => {
  let session: UiSession | undefined;
  let page: Page;

  beforeAll(async () => {
    session = await startUiSession({ command: 'demo' }, { width: 1440, height: 900 });
    page = session.page;
    mkdirSync(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await session?.stop();
  });

  it('opens on Topology', async () => {
    await page.goto(session!.agent.url);
    await page.getByRole('heading', { level: 1, name: 'Topology', exact: true }).waitFor();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`shows each view in the ${scheme} scheme without a horizontal scrollbar, and saves its screenshot`, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      for (const view of views) {
        await page.goto(`${session!.agent.url}/#/${view.id}`);
        await page.getByRole('heading', { level: 1, name: view.title, exact: true }).waitFor();
        // Let the view's first answers arrive (its cards stop saying "Loading").
        await page.waitForFunction(
          () =>
            !(globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText.includes(
              'Loading',
            ),
          undefined,
          { timeout: 10_000 },
        );
        expect({ view: view.id, overflow: await horizontalOverflow(page) }).toEqual({ view: view.id, overflow: 0 });
        await page.screenshot({ path: join(artifacts, `${view.id}-${scheme}.png`), fullPage: true });
      }
    });
  }

  it('raised no console error, exception or CSP violation', () => {
    expect(session!.problems).toEqual([]);
  });
});
