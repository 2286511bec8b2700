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
]);
await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
console.log('built dist/electron and dist/renderer');
