import { ensureWebBuild } from './web-build';

/** Vitest globalSetup for the e2e project: builds the web app once per run, before any test file. */
export async function setup(): Promise<void> {
  await ensureWebBuild();
}
