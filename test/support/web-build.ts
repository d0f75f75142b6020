import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './repo-root';

const run = promisify(execFile);

/**
 * What the build reads, and how it is run (this file): when any of it is newer than
 * dist/index.html the build is stale.
 */
const inputs = ['index.html', 'vite.config.ts', 'src', 'public', 'contracts', 'test/support/web-build.ts'];
const LOCK_STALE_MS = 5 * 60_000;
const LOCK_WAIT_MS = 4 * 60_000;

async function newestMtime(target: string): Promise<number> {
  let info;
  try {
    info = await stat(target);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(target);
  const times = await Promise.all(
    entries
      .filter((entry) => entry !== 'testing' && !/\.test\.tsx?$/.test(entry))
      .map((entry) => newestMtime(path.join(target, entry))),
  );
  return Math.max(info.mtimeMs, ...times);
}

async function isFresh(): Promise<boolean> {
  let built: number;
  try {
    built = (await stat(path.join(repoRoot, 'dist', 'index.html'))).mtimeMs;
  } catch {
    return false;
  }
  const sources = await Promise.all(inputs.map((input) => newestMtime(path.join(repoRoot, input))));
  return Math.max(...sources) <= built;
}

const lockPath = path.join(
  tmpdir(),
  `switchboard-web-build-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)}.lock`,
);

async function acquireLock(): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lockPath);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const age = await stat(lockPath).then(
      (info) => Date.now() - info.mtimeMs,
      () => 0,
    );
    if (age > LOCK_STALE_MS) await rm(lockPath, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`Waited too long for another web build (lock ${lockPath}).`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Builds the web app into dist/ unless it is already built from the current sources. Safe to
 * call from several test files at once: one builds, the others wait for it.
 */
export async function ensureWebBuild(): Promise<void> {
  if (await isFresh()) return;
  await acquireLock();
  try {
    if (await isFresh()) return;
    const vite = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
    try {
      await run(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
        cwd: repoRoot,
        // The build people get. Under vitest NODE_ENV is 'test', and vite then bundles React's
        // development build (an owner stack for every element): every render is several times
        // slower, and benchmarks measured that instead of the app.
        env: { ...process.env, NODE_ENV: 'production' },
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`Building the web app (vite build) failed:\n${stdout}${stderr}`, { cause: error });
    }
  } finally {
    await rm(lockPath, { recursive: true, force: true });
  }
}
