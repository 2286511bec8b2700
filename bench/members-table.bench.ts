// Nodes view's members table with a large fleet: N member records written straight into a real etcd (bound to one
// lease, as agents' records are), one console agent watching them, and its UI in headless Chromium. Measures, in the
// page, the time from a click on a column heading (or a search typed) until the re-ordered (or filtered) rows have
// been painted, and how many rows are mounted.
import { Etcd3 } from 'etcd3';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../test/support/browser.js';
import { startEtcdCluster } from '../test/support/etcd-cluster.js';
import { startSeededConsole } from '../test/support/member-records.js';
import { fmt, machine, percentile } from './support.js';

const SIZES = [200, 10_000] as const;
const VIEWPORT = { width: 1440, height: 900 };
/** Each sort is a different column than the one before, so every click sorts the whole fleet again. */
const SORTS = ['CPU', 'Name', 'Memory', 'Status', 'Disk', 'Last seen', 'Alerts', 'Name'];
const ROUNDS = 3;
/** Typed one after the other, as a user narrows down (each shows a different count); '' brings back every row. */
const SEARCHES = ['web', 'web-00', 'web-001', 'web-0012', '', 'db-00', ''];
/** What a user takes as an instant answer to a click or a keystroke. */
const TARGET_MS = 100;

// Runs in the page (a string: this file is checked against Node's typings, which have no DOM). Each helper resolves
// with the milliseconds from the input until the first frame painted after the table shows the result.
const pageHelpers = `
  const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const until = async (what, done) => {
    const deadline = performance.now() + 30000;
    while (!done()) {
      if (performance.now() > deadline) throw new Error('timed out waiting for ' + what);
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  };
  const count = () => document.querySelector('[data-testid="fleet-count"]').textContent;
  window.__benchSort = async (header) => {
    const heading = [...document.querySelectorAll('th')].find((th) => th.textContent.startsWith(header));
    const sortBefore = heading.getAttribute('aria-sort');
    const started = performance.now();
    heading.querySelector('button').click();
    await until('the table sorted by ' + header, () => heading.getAttribute('aria-sort') !== sortBefore);
    await painted();
    return performance.now() - started;
  };
  window.__benchSearch = async (text) => {
    const input = document.querySelector('input[type="search"]');
    const before = count();
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    const started = performance.now();
    setValue.call(input, text);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    // The rows follow the field once React has time (a deferred value): done when the count says the new figure.
    await until('the rows matching "' + text + '"', () => count() !== before);
    await painted();
    return performance.now() - started;
  };
  window.__benchRows = () => document.querySelectorAll('tbody tr[data-member-id]').length;
`;
interface BenchGlobal {
  __benchSort(header: string): Promise<number>;
  __benchSearch(text: string): Promise<number>;
  __benchRows(): number;
}
const inPage = (page: Page) => ({
  sort: (header: string) => page.evaluate((h) => (globalThis as unknown as BenchGlobal).__benchSort(h), header),
  search: (text: string) => page.evaluate((t) => (globalThis as unknown as BenchGlobal).__benchSearch(t), text),
  rows: () => page.evaluate(() => (globalThis as unknown as BenchGlobal).__benchRows()),
});

interface Timings {
  p50: number;
  p95: number;
  max: number;
}
const timings = (samples: number[]): Timings => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1)! };
};

interface SizeResult {
  members: number;
  sort: Timings;
  search: Timings;
  mounted: number;
}

const etcd = await startEtcdCluster({ members: 1 });
const client = new Etcd3({ hosts: etcd.endpoints });
const browser = await launchBrowser();
const results: SizeResult[] = [];

try {
  for (const size of SIZES) {
    const cluster = `bench-members-${size}`;
    const seeded = await startSeededConsole(client, etcd.endpoints[0]!, cluster, size);
    const { agent: consoleAgent, members } = seeded;
    try {
      const page = await browser.newPage({ viewport: VIEWPORT });
      await page.addInitScript(pageHelpers);
      await page.goto(`${consoleAgent.url}/#/nodes`);
      await page
        .getByTestId('fleet-count')
        .filter({ hasText: `${members.toLocaleString('en')} members` })
        .waitFor({
          timeout: 60_000,
        });
      const { sort, search, rows } = inPage(page);
      const sorts: number[] = [];
      const searches: number[] = [];
      // A first pass warms the page up (JIT, layout caches); only the later rounds count.
      for (let round = 0; round <= ROUNDS; round++) {
        for (const header of SORTS) {
          const ms = await sort(header);
          if (round > 0) sorts.push(ms);
        }
        for (const text of SEARCHES) {
          const ms = await search(text);
          if (round > 0) searches.push(ms);
        }
      }
      results.push({ members, sort: timings(sorts), search: timings(searches), mounted: await rows() });
      await page.close();
    } finally {
      await seeded.stop();
    }
  }
} finally {
  await browser.close();
  client.close();
  await etcd.stop();
}

const [small, large] = results as [SizeResult, SizeResult];
const ratio = (a: number, b: number) => (a > 0 ? `${fmt(b / a)}×` : '—');
const rows: [string, (r: SizeResult) => number, number, string][] = [
  ['sort by a column, click to painted p50 (ms)', (r) => r.sort.p50, 1, `≤ ${TARGET_MS}`],
  ['sort by a column p95 (ms)', (r) => r.sort.p95, 1, ''],
  ['sort by a column max (ms)', (r) => r.sort.max, 1, ''],
  ['search typed, input to filtered rows painted p50 (ms)', (r) => r.search.p50, 1, `≤ ${TARGET_MS}`],
  ['search p95 (ms)', (r) => r.search.p95, 1, ''],
  ['search max (ms)', (r) => r.search.max, 1, ''],
  ['rows mounted (viewport shows 13)', (r) => r.mounted, 0, '≤ 26'],
];
console.log(`# members-table (${machine()})`);
console.log(
  `Headless Chromium ${VIEWPORT.width}×${VIEWPORT.height}, one console agent on a 1-member etcd; ${ROUNDS} rounds of ` +
    `${SORTS.length} sorts and ${SEARCHES.length} searches after a warm-up round.`,
);
console.log(`| figure | ${small.members} members | ${large.members} members | ratio | target |`);
console.log('|---|---|---|---|---|');
for (const [name, value, digits, target] of rows) {
  console.log(
    `| ${name} | ${fmt(value(small), digits)} | ${fmt(value(large), digits)} | ${ratio(value(small), value(large))} | ${target} |`,
  );
}
const met = large.sort.p50 <= TARGET_MS && large.search.p50 <= TARGET_MS && large.mounted <= 26;
console.log(
  `\nTargets ${met ? 'met' : 'NOT met'} at ${large.members} members: sort and search p50 ≤ ${TARGET_MS} ms, ` +
    `rows mounted ≤ 2× visible.`,
);
