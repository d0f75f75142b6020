import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { phoneBundleReport } from './scripts/phone-bundle-report.mjs';
import { sipGrammarOnce } from './scripts/sip-grammar-once.mjs';

// The dev server runs beside the real server (`npm run serve`) and proxies to it, so the
// browser sees one origin exactly as in production, where the server serves `dist/`. The proxy
// keeps the browser's Host (no `changeOrigin`): the server accepts a change only when its Origin
// matches that Host.
const apiTarget = `http://localhost:${process.env.API_PORT ?? 8080}`;

export default defineConfig({
  plugins: [react(), sipGrammarOnce(), phoneBundleReport()],
  server: {
    proxy: {
      // JSON API and the server-sent events stream (`/api/events`), which http-proxy streams
      // through untouched as long as nothing buffers or compresses it.
      '/api': { target: apiTarget },
      // SIP over WebSocket (RFC 7118). A pattern, so `/sip.js`-like module paths are not proxied.
      '^/sip(?:[/?]|$)': { target: apiTarget, ws: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: apiTarget },
      '^/sip(?:[/?]|$)': { target: apiTarget, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Maps stay in dist/ for reading a production stack trace, but the bundles do not point to
    // them and the server never serves *.map.
    sourcemap: 'hidden',
  },
});
