// Builds the admin center into dist/web, which `tarmac serve` serves at `/` (src/server/web-app.ts).
// `npm run dev:web` serves it with hot reload and forwards API calls to a `tarmac serve` on port 8080.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const TARMAC = 'http://127.0.0.1:8080';

export default defineConfig({
  // Relative asset URLs: the app also works behind a proxy that mounts Tarmac under a path.
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // bench/web-bundle.js holds the main chunk to 500 kB gzipped; Vite's own warning is about raw size.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/v1.0': TARMAC,
      '/beta': TARMAC,
      '/_tarmac': TARMAC,
      // The token endpoint: /{tenant}/oauth2/v2.0/token.
      '^/[^/]+/oauth2/': TARMAC,
    },
  },
});
