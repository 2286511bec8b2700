// `npm run bench [name]`: bundles each bench/*.bench.ts with esbuild and runs it in plain Node, one at a time.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { build } from 'esbuild';

const only = process.argv[2];
const benches = readdirSync('bench').filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)));
if (benches.length === 0) {
  console.error(`no benchmark matches "${only}"`);
  process.exit(2);
}
let failed = false;
for (const file of benches) {
  const outfile = `dist/bench/${file.replace(/\.ts$/, '.js')}`;
  await build({
    entryPoints: [`bench/${file}`],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  const result = spawnSync(process.execPath, [outfile], { stdio: 'inherit' });
  failed ||= result.status !== 0;
  console.log('');
}
process.exit(failed ? 1 : 0);
