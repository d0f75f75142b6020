import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceListSchema } from '../contracts/devices';
import { userListSchema } from '../contracts/users';
import { register } from './sip/raw-sip-client';
import { RawSocketSipClient } from './sip/raw-socket-client';
import { launchBrowser } from './support/browser';
import type { BrowserSession, WatchedPage } from './support/browser';
import { apiFromPage, phone as phoneOf, signIn, waitForStatus } from './support/phone-page';
import { freePort, startServer } from './support/server-process';
import type { ServerProcess } from './support/server-process';

// Issue 14's browser check: an admin adds a desk phone for a user in the console of the real
// server in Chromium, sees its credentials once, and a desk phone registering with them over UDP
// shows up in the open dialog, live, with the address it came from.

let server: ServerProcess;
let browser: BrowserSession;
const phones: RawSocketSipClient[] = [];

beforeAll(async () => {
  // SIP over UDP and TCP on one free port (the test servers have them off by default).
  const sipPort = String(await freePort());
  server = await startServer({ env: { SIP_UDP_PORT: sipPort, SIP_TCP_PORT: sipPort } });
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const phone of phones.splice(0)) phone.close();
  await browser?.close();
  await server?.stop();
});

function consoleOf({ page }: WatchedPage) {
  return page.getByRole('complementary', { name: 'Console' });
}

/** A value of the credentials shown once, by its label. */
async function shownValue(watched: WatchedPage, label: string): Promise<string> {
  const row = watched.page
    .locator('.credential-row')
    .filter({ has: watched.page.getByText(label, { exact: true }) });
  return ((await row.locator('code').textContent()) ?? '').trim();
}

/** REGISTER until the edge knows the new credentials (it follows device events, a moment later). */
async function registerDesk(port: number, options: { domain: string; user: string; password: string }) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const phone = await RawSocketSipClient.udp(port);
    const answer = await register(phone, { ...options, expires: 300 });
    if (answer.status === 200 || Date.now() > deadline) {
      phones.push(phone);
      return { phone, answer };
    }
    phone.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("a user's devices in the console, against the real server in Chromium", () => {
  it('adds a desk phone, shows its credentials once, and shows it registered over UDP, live', async () => {
    const admin = await browser.newPage({ origin: server.url });
    await signIn(admin, server, 'admin');
    const console_ = consoleOf(admin);
    await console_
      .getByRole('navigation', { name: 'Console sections' })
      .getByRole('link', { name: 'Users', exact: true })
      .click();
    await console_.getByRole('heading', { name: 'Users', level: 3 }).waitFor();

    await console_.getByRole('button', { name: 'Devices of Agent Two' }).click();
    const dialog = admin.page.getByRole('dialog', { name: 'Devices of Agent Two (agent2)' });
    await dialog.getByText('Agent Two has no desk phones or external numbers.').waitFor();
    await dialog.getByLabel('Name').fill('Desk phone, room 2.14');
    await dialog.getByRole('button', { name: 'Add desk phone' }).click();

    const shown = admin.page.getByRole('dialog', { name: 'Desk phone, room 2.14 was added' });
    await shown.waitFor();
    expect(await shown.textContent()).toContain('These credentials are shown only now and never again.');
    const username = await shownValue(admin, 'Username');
    const password = await shownValue(admin, 'Password');
    const domain = await shownValue(admin, 'Domain');
    const udpPort = Number(await shownValue(admin, 'UDP port'));
    expect(username).toMatch(/^agent2-/);
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(domain).toBe('switchboard.local');
    expect(await shownValue(admin, 'Server')).toBe('127.0.0.1');
    expect(udpPort).toBeGreaterThan(0);
    expect(Number(await shownValue(admin, 'TCP port'))).toBe(udpPort);
    for (const label of ['username', 'password', 'domain', 'server', 'UDP port', 'TCP port'])
      expect(await shown.getByRole('button', { name: `Copy ${label}`, exact: true }).count()).toBe(1);

    await shown.getByRole('button', { name: 'Done' }).click();
    const item = dialog.getByRole('listitem', { name: 'Desk phone Desk phone, room 2.14' });
    await item.getByText('Not registered').waitFor();
    expect(await admin.page.locator('body').textContent()).not.toContain(password);
    expect(await item.textContent()).toContain(`SIP username ${username}`);

    // A desk phone registers with those credentials over UDP: the open dialog shows it, live.
    const { phone, answer } = await registerDesk(udpPort, { domain, user: username, password });
    expect(answer.status, answer.reason).toBe(200);
    await item.getByText('Registered', { exact: true }).waitFor({ timeout: 5_000 });
    const where = item.getByRole('list', { name: 'Where Desk phone, room 2.14 is registered' });
    expect(await where.textContent()).toMatch(
      new RegExp(`^UDP from 127\\.0\\.0\\.1:${phone.localPort} \\(raw-sip-test\\), since .+, until .+$`),
    );

    // agent2's own phone: My devices shows the desk phone registered, and this browser tab; the
    // console's dialog sees the tab too, live.
    const agent = await browser.newPage({ origin: server.url });
    await signIn(agent, server, 'agent2');
    await waitForStatus(agent.page, /^Registered as/);
    await phoneOf(agent.page).getByRole('button', { name: 'My devices' }).click();
    const mine = agent.page.getByRole('region', { name: 'My devices' });
    const own = mine.getByRole('listitem', { name: 'Desk phone Desk phone, room 2.14' });
    await own.getByText('Registered', { exact: true }).waitFor();
    expect(await own.textContent()).toContain(`UDP from 127.0.0.1:${phone.localPort}`);
    await mine
      .getByRole('region', { name: 'Browser phone' })
      .getByText('Signed in', { exact: true })
      .waitFor();
    await dialog
      .getByRole('region', { name: 'Browser phone' })
      .getByText('Signed in', { exact: true })
      .waitFor({ timeout: 5_000 });

    // Removing says what it does and signs the phone out at once.
    await item.getByRole('button', { name: 'Remove Desk phone, room 2.14' }).click();
    const confirm = admin.page.getByRole('alertdialog', { name: 'Remove Desk phone, room 2.14?' });
    expect(await confirm.textContent()).toContain('it is signed out at once');
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await dialog.getByText('Desk phone, room 2.14 was removed.').waitFor();
    const users = userListSchema.parse((await apiFromPage<unknown>(admin.page, '/api/users?q=agent2')).body);
    const agent2 = users.items.find((user) => user.username === 'agent2');
    const after = deviceListSchema.parse(
      (await apiFromPage<unknown>(admin.page, `/api/users/${agent2?.id ?? 0}/devices`)).body,
    );
    expect(after.items).toEqual([]);
    const again = await RawSocketSipClient.udp(udpPort);
    phones.push(again);
    expect((await register(again, { domain, user: username, password })).status).not.toBe(200);

    // The owner's phone follows the removal, live.
    await own.waitFor({ state: 'detached', timeout: 5_000 });
    await mine.getByText('You have no desk phones or external numbers.').waitFor();

    expect(admin.consoleProblems).toEqual([]);
    expect(agent.consoleProblems).toEqual([]);
  });
});
