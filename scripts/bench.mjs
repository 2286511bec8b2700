// `npm run bench [name]`: bundles each bench/*.bench.ts with esbuild and runs it in plain Node, one at a time.
// bench/*.worker.ts are bundled too, next to them: scripts that a benchmark starts as child processes.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { build } from 'esbuild';

const only = process.argv[2];
const benches = readdirSync('bench').filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)));
if (benches.length === 0) {
  console.error(`no benchmark matches "${only}"`);
  process.exit(2);
}
const bundle = async (file) => {
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
  return outfile;
};
for (const file of readdirSync('bench').filter((f) => f.endsWith('.worker.ts'))) await bundle(file);
let failed = false;
for (const file of benches) {
  const outfile = await bundle(file);
  const result = spawnSync(process.execPath, [outfile], { stdio: 'inherit' });
  failed ||= result.status !== 0;
  console.log('');
}
process.exit(failed ? 1 : 0);
