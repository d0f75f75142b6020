import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';

export type WatchedPage = {
  page: Page;
  context: BrowserContext;
  /** Console errors and warnings, and uncaught exceptions, in the order they happened. */
  consoleProblems: string[];
};

export type BrowserSession = {
  browser: Browser;
  /** A page in its own context (own cookies), with microphone permission for `origin`. */
  newPage(options?: { origin?: string }): Promise<WatchedPage>;
  close(): Promise<void>;
};

export type LaunchOptions = {
  /** More Chromium flags, e.g. `--use-file-for-fake-audio-capture=tone.wav`. */
  args?: string[];
  /** Another executable than `chromiumPath()`, e.g. a script that runs Chromium in a network namespace. */
  executablePath?: string;
};

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** The flags and why each is there: docs/chromium-test-flags.md (fake media, loopback ICE, quiet start-up). */
export function chromiumArgs(extra: readonly string[] = []): string[] {
  const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return [
    '--headless=new',
    ...(runningAsRoot ? ['--no-sandbox'] : []),
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    ...extra,
  ];
}

/**
 * The browser logs every 4xx it receives from fetch as "Failed to load resource". A 401 or 429
 * from signing in (wrong password, rate limited) is the API answering as designed, not the app
 * misbehaving, so those are not counted. Asking who is signed in never fails (`GET /api/session`).
 */
function isExpectedApiRefusal(message: ConsoleMessage): boolean {
  const status = /^Failed to load resource: the server responded with a status of (\d+)/.exec(
    message.text(),
  )?.[1];
  if (!status) return false;
  const { pathname } = new URL(message.location().url || 'about:blank', 'http://localhost');
  if (pathname === '/api/session') return status === '401' || status === '429';
  return false;
}

function watch(page: Page, problems: string[]): void {
  page.on('console', (message) => {
    const type = message.type();
    if (type !== 'error' && type !== 'warning') return;
    if (isExpectedApiRefusal(message)) return;
    const where = message.location().url ? ` (${message.location().url})` : '';
    problems.push(`console.${type}: ${message.text()}${where}`);
  });
  page.on('pageerror', (error) => {
    problems.push(`uncaught: ${error.stack ?? error.message}`);
  });
}

/** Launches the machine's Chromium through playwright-core. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<BrowserSession> {
  const executablePath = options.executablePath ?? chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium was not found at ${executablePath}: install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH to a Chromium or Chrome executable.`,
    );
  }
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: chromiumArgs(options.args),
  });
  return {
    browser,
    async newPage({ origin } = {}) {
      const context = await browser.newContext();
      if (origin) await context.grantPermissions(['microphone'], { origin });
      const page = await context.newPage();
      const consoleProblems: string[] = [];
      watch(page, consoleProblems);
      return { page, context, consoleProblems };
    },
    async close() {
      await browser.close();
    },
  };
}
