#!/usr/bin/env node
// The process `fleetdeck demo` supervises: writes a plausible service log to stdout, about two lines a second.
// No dependencies, so it runs on whatever Node starts it (inside Electron: Electron's own, as Node).
//
//   node log-writer.mjs [--crash-after <ms>] [--interval <ms>]
//
// SIGTERM/SIGINT: prints a shutdown line and exits 0. --crash-after: exits 1 after that long, to show restarts.

const usage = 'usage: log-writer.mjs [--crash-after <ms>] [--interval <ms>]';

function parseArgs(argv) {
  const options = { crashAfterMs: null, intervalMs: 500 };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag !== '--crash-after' && flag !== '--interval') fail(`unknown argument ${flag}`);
    const value = Number(argv[i + 1]);
    if (argv[i + 1] === undefined || !Number.isInteger(value) || value < 1) fail(`${flag} needs a whole number of ms`);
    if (flag === '--crash-after') options.crashAfterMs = value;
    else options.intervalMs = value;
    i += 1;
  }
  return options;
}

function fail(message) {
  process.stderr.write(`log-writer: ${message}\n${usage}\n`);
  process.exit(2);
}

const pick = (items) => items[Math.floor(Math.random() * items.length)];
const between = (min, max) => min + Math.floor(Math.random() * (max - min + 1));

const paths = [
  () => '/api/orders',
  () => `/api/orders/${between(10_000, 99_999)}`,
  () => `/api/customers/${between(100, 9_999)}`,
  () => '/api/cart',
  () => `/api/search?q=${pick(['lamp', 'desk', 'chair', 'cable'])}`,
  () => '/healthz',
];
const path = () => pick(paths)();
const info = [
  () => `http: ${pick(['GET', 'GET', 'GET', 'POST', 'PUT'])} ${path()} 200 in ${between(2, 180)} ms`,
  () => `http: GET ${path()} 304 in ${between(1, 12)} ms`,
  () => `cache: hit ratio ${(0.8 + Math.random() * 0.19).toFixed(2)} over the last minute`,
  () => `queue: processed ${between(5, 120)} jobs, ${between(0, 30)} pending`,
  () => `db: pool ${between(2, 10)}/10 connections in use`,
];
const warn = [
  () => `db: slow query took ${between(600, 2400)} ms (orders.by_customer)`,
  () =>
    `http: POST /api/orders 429 in ${between(1, 5)} ms (rate limited client 10.0.${between(0, 9)}.${between(2, 250)})`,
  () => `upstream: retrying payments request (attempt ${between(2, 3)}/3)`,
  () => `gc: pause of ${between(80, 300)} ms`,
];
const error = [
  () => 'upstream timeout after 3000 ms',
  () => 'db: connection reset by peer; reconnecting',
  () => `http: GET ${path()} 500 in ${between(5, 900)} ms: unexpected end of JSON input`,
];

function line(level, text) {
  process.stdout.write(`${new Date().toISOString()} ${level.padEnd(5)} ${text}\n`);
}

function tick() {
  const roll = Math.random();
  if (roll < 0.05) line('ERROR', pick(error)());
  else if (roll < 0.2) line('WARN', pick(warn)());
  else line('INFO', pick(info)());
}

const { crashAfterMs, intervalMs } = parseArgs(process.argv.slice(2));
let timer;
// Installed before the first line, so whoever sees that line may already send SIGTERM.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    clearTimeout(timer);
    line('INFO', `received ${signal}, shutting down`);
    process.exit(0);
  });
}

line('INFO', `log-writer starting (pid ${process.pid}${crashAfterMs ? `, crashing after ${crashAfterMs} ms` : ''})`);

// Jitter of ±20% so the log does not look machine-made.
const schedule = () => {
  timer = setTimeout(
    () => {
      tick();
      schedule();
    },
    Math.round(intervalMs * (0.8 + Math.random() * 0.4)),
  );
};
schedule();

if (crashAfterMs) {
  setTimeout(() => {
    clearTimeout(timer);
    process.stderr.write(`${new Date().toISOString()} ERROR fatal: worker state corrupted, exiting with code 1\n`);
    process.exit(1);
  }, crashAfterMs);
}
