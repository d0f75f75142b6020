import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionStateSchema } from '../contracts/session';
import type { Me } from '../contracts/users';
import { axeViolations } from './support/axe';
import { launchBrowser } from './support/browser';
import type { BrowserSession, WatchedPage } from './support/browser';
import { startServer } from './support/server-process';
import type { DemoLogin, ServerProcess } from './support/server-process';

// The real server on a fresh data folder, the built web app, and the machine's Chromium.

const supervisorSections = [
  'Operator panel',
  'Groups',
  'Profiles',
  'Wallboard',
  'Queues',
  'Queue reports',
  'Agent-state history',
  'Seats',
  'Users',
  'Credit',
  'Call history',
  'Audit log',
  'My call history',
];

let server: ServerProcess;
let browser: BrowserSession;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function supervisorLogin(): DemoLogin {
  const login = server.logins.supervisor;
  if (!login) throw new Error(`The server printed no supervisor login. Its output:\n${server.output()}`);
  return login;
}

async function openApp(): Promise<WatchedPage> {
  const watched = await browser.newPage({ origin: server.url });
  await watched.page.goto(server.url);
  await watched.page.getByRole('heading', { name: 'Sign in' }).waitFor();
  return watched;
}

async function meFromPage({ page }: WatchedPage): Promise<{ status: number; me: Me | null }> {
  const { status, body } = await page.evaluate(async () => {
    const response = await fetch('/api/session', { credentials: 'same-origin' });
    return { status: response.status, body: (await response.json()) as unknown };
  });
  return { status, me: sessionStateSchema.parse(body).me };
}

describe('the app shell in Chromium against the real server', () => {
  it('tells a wrong password as the server says it, and stays on sign-in', async () => {
    const watched = await openApp();
    const { page } = watched;
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('username');

    await page.getByLabel('Username').fill('supervisor');
    await page.getByLabel('Password').fill(`${supervisorLogin().password}-wrong`);
    await page.getByRole('button', { name: 'Sign in' }).click();

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Wrong username or password.');
    expect(await page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
    expect(watched.consoleProblems).toEqual([]);
    await watched.context.close();
  });

  it('tells how long to wait once sign-ins for a username are rate limited', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'agent3', password: 'not-the-password' }),
      });
      expect(response.status).toBe(401);
    }
    const watched = await openApp();
    const { page } = watched;
    await page.getByLabel('Username').fill('agent3');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^Too many failed sign-ins\. Try again in \d+ seconds?\.$/);
    expect(watched.consoleProblems).toEqual([]);
    await watched.context.close();
  });

  it('signs in as the supervisor, shows the shell, keeps the session on reload and signs out', async () => {
    const login = supervisorLogin();
    const watched = await openApp();
    const { page } = watched;
    expect(await axeViolations(page)).toEqual([]);

    const liveEvents = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/events');
    await page.getByLabel('Username').fill('supervisor');
    await page.getByLabel('Password').fill(login.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // The header shows who the server says is signed in.
    const banner = page.getByRole('banner');
    await banner.waitFor();
    const { me } = await meFromPage(watched);
    if (!me) throw new Error('GET /api/session said nobody is signed in after signing in.');
    expect(me.user.role).toBe('supervisor');
    const bannerText = (await banner.textContent()) ?? '';
    expect(bannerText).toContain(me.user.displayName);
    expect(bannerText).toContain('Supervisor');
    if (me.profile) expect(bannerText).toContain(me.profile.name);

    // The phone area knows the extension; the console lists the supervisor's sections.
    const phone = page.getByRole('main', { name: 'Phone' });
    expect(await phone.textContent()).toContain(login.extension);
    // The softphone's status line (issue 5): connecting, then registered.
    expect(await phone.locator('.status-line[role="status"]').textContent()).toMatch(
      /Connecting|Registered as/,
    );
    const nav = page.getByRole('navigation', { name: 'Console sections' });
    await nav.waitFor();
    expect(await nav.getByRole('link').allTextContents()).toEqual(supervisorSections);

    // Users are read-only for a supervisor: no admin actions.
    await nav.getByRole('link', { name: 'Users' }).click();
    const console_ = page.getByRole('complementary', { name: 'Console' });
    await console_.getByRole('heading', { name: 'Users' }).waitFor();
    expect(await console_.textContent()).toContain('Read only');
    expect(
      await console_.getByRole('button', { name: /add user|reset password|delete|change role/i }).count(),
    ).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // Live events stream through while signed in.
    const stream = await liveEvents;
    expect(stream.status()).toBe(200);
    expect(stream.headers()['content-type']).toContain('text/event-stream');

    // A reload keeps the session and the open section.
    await page.reload();
    await page.getByRole('banner').waitFor();
    expect(await page.getByRole('banner').textContent()).toContain(me.user.displayName);
    await page
      .getByRole('complementary', { name: 'Console' })
      .getByRole('heading', { name: 'Users' })
      .waitFor();

    // Signing out ends the session on the server too.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await meFromPage(watched)).toEqual({ status: 200, me: null });
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('banner').count()).toBe(0);

    expect(watched.consoleProblems).toEqual([]);
    await watched.context.close();
  });
});
