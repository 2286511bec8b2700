#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/electron/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('fleetdeck: not built yet; run `npm run build` (or `npm run demo`, which builds first)');
  process.exit(1);
}
await import(cli);
