import { defineConfig } from 'vitest/config';

// Temporary until the root config has a `sip` project.
export default defineConfig({
  test: {
    name: 'sip',
    environment: 'node',
    include: ['test/sip/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
