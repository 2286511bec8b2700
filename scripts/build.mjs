// Builds everything `npm start`, `npm run demo` and the packaged app need into dist/.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
};

await Promise.all([
  esbuild({ ...node, entryPoints: ['electron/cli.ts'], outfile: 'dist/electron/cli.js', format: 'esm' }),
  esbuild({ ...node, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.js', format: 'esm' }),
  // A sandboxed preload cannot be an ES module, and may only require('electron').
  esbuild({ ...node, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs' }),
  // The log match worker thread (electron/logs/match-worker.ts finds it beside the bundle). Self-contained and .mjs,
  // so it also runs unpacked from app.asar, where neither node_modules nor package.json's "type" is beside it.
  esbuild({
    ...node,
    packages: 'bundle',
    entryPoints: ['electron/logs/match-worker-thread.ts'],
    outfile: 'dist/electron/log-match-worker.mjs',
    format: 'esm',
  }),
]);
await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
console.log('built dist/electron and dist/renderer');
