import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Five projects: `unit` (server, contracts: Node), `web` (src/: jsdom + msw), `api` (a real
// server on a fresh database), `sip` (protocol tests against the real edge) and `e2e` (server processes and real Chromium).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['server/**/*.test.ts', 'contracts/**/*.test.ts', 'scripts/**/*.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'web',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
          setupFiles: ['src/testing/setup.ts'],
        },
      },
      {
        test: {
          name: 'api',
          environment: 'node',
          include: ['test/api/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
          // One module graph for all files: re-importing the server per file cost 4x the time.
          isolate: false,
        },
      },
      {
        test: {
          name: 'sip',
          environment: 'node',
          include: ['test/sip/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/api/**', 'test/sip/**'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
