import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { cspDirectives } from './shared/csp.js';

// Directives a <meta> CSP cannot carry (browsers ignore them there and log an error); the servers send them.
const headerOnly = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

/** The page carries the same policy the agent and app:// send as a header, from the one source in shared/. */
const cspMeta = (): Plugin => ({
  name: 'fleetdeck-csp-meta',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: {
        'http-equiv': 'Content-Security-Policy',
        content: Object.entries(cspDirectives)
          .filter(([name]) => !headerOnly.has(name))
          .map(([name, sources]) => `${name} ${sources.join(' ')}`)
          .join('; '),
      },
      injectTo: 'head-prepend',
    },
  ],
});

// The renderer is served by the agent's HTTP server and by Electron's app:// protocol, so paths are relative.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), cspMeta()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
  },
});
