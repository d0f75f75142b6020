// TEMPORARY: until the lead adds the `api` project to vitest.config.ts. Delete before finishing.
import { defineConfig } from 'vitest/config';
export default defineConfig({
  test: {
    name: 'api',
    root: '/work/main',
    environment: 'node',
    include: ['test/api/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
