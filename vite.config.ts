import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is served by the agent's HTTP server and by Electron's app:// protocol, so paths are relative.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
  },
});
