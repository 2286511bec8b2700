import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page, type ViewportSize } from 'playwright-core';

const chromiumPath = '/usr/bin/chromium';

/** The system's headless Chromium: playwright-core drives it but ships no browser of its own. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: the e2e tests need it (apt-get install chromium)`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export interface TestPage {
  readonly page: Page;
  /** What recordPageProblems collects; it fills as the page runs. */
  readonly problems: string[];
  /** Closes the browser, and the page with it. */
  close(): Promise<void>;
}

/**
 * Launches the browser and opens one page on it that has not navigated yet, its problems recorded from the start.
 */
export async function openTestPage(viewport: ViewportSize = { width: 1280, height: 900 }): Promise<TestPage> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport });
    // Fail a missing element well inside vitest's own test timeout, so the error names the locator.
    page.setDefaultTimeout(10_000);
    const problems = await recordPageProblems(page);
    return { page, problems, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/**
 * Collects what a healthy page never reports: console errors, uncaught exceptions and CSP violations.
 * Call before the first navigation; the returned array fills as the page runs.
 */
export async function recordPageProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  await page.exposeFunction('reportCspViolation', (violation: string) => problems.push(`CSP violation: ${violation}`));
  // Init scripts are injected by the browser, so they run even under the page's strict script-src.
  // A string, because this runs in the page, not under the node typings this file is checked with.
  await page.addInitScript(`
    document.addEventListener('securitypolicyviolation', (event) => {
      window.reportCspViolation(event.effectiveDirective + ' blocked ' + (event.blockedURI || 'inline content'));
    });
  `);
  return problems;
}
