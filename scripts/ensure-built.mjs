// Rebuilds dist/ when any source is newer than the last build, so `npm run demo` always runs current code.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const stamp = 'dist/electron/cli.js';
const sources = ['electron', 'renderer', 'shared', 'vite.config.ts', 'package.json'];

const newest = (path) => {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newest(join(path, entry))));
};

if (!existsSync(stamp) || Math.max(...sources.map(newest)) > statSync(stamp).mtimeMs) {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
