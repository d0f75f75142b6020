import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditListSchema } from '../contracts/audit';
import type { AuditEntry } from '../contracts/audit';
import { profileListSchema } from '../contracts/profiles';
import { userListSchema, userSchema } from '../contracts/users';
import { launchBrowser } from './support/browser';
import type { BrowserSession, WatchedPage } from './support/browser';
import { apiFromPage, phone, signIn, waitForStatus } from './support/phone-page';
import { startServer } from './support/server-process';
import type { ServerProcess } from './support/server-process';

// Issue 6's browser check: the console's profile and user changes, made through the UI in real
// Chromium against the real server, take effect on the phone and land in the audit log.

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

async function signedIn(username: string, password?: string): Promise<WatchedPage> {
  const watched = await browser.newPage({ origin: server.url });
  await signIn(watched, server, username, password);
  return watched;
}

function consoleOf({ page }: WatchedPage) {
  return page.getByRole('complementary', { name: 'Console' });
}

async function openSection(watched: WatchedPage, title: string): Promise<void> {
  const console_ = consoleOf(watched);
  await console_
    .getByRole('navigation', { name: 'Console sections' })
    .getByRole('link', { name: title })
    .click();
  await console_.getByRole('heading', { name: title, level: 3 }).waitFor();
}

/** Adds an agent on `profile` through the Users section and returns the password shown once. */
async function addUserThroughUi(
  admin: WatchedPage,
  user: { displayName: string; username: string; extension: string; profile: string },
): Promise<string> {
  const console_ = consoleOf(admin);
  await console_.getByRole('button', { name: 'Add user' }).click();
  const dialog = admin.page.getByRole('dialog', { name: 'Add user' });
  await dialog.getByLabel('Display name').fill(user.displayName);
  await dialog.getByLabel('Username').fill(user.username);
  await dialog.getByLabel('Extension').fill(user.extension);
  await dialog.getByLabel('Profile').selectOption({ label: user.profile });
  await dialog.getByRole('button', { name: 'Add user' }).click();
  const shown = admin.page.getByRole('dialog', { name: `${user.displayName} was added` });
  await shown.waitFor();
  expect(await shown.textContent()).toContain(
    `${user.displayName} (${user.username}, extension ${user.extension}) can sign in with this password:`,
  );
  const password = ((await shown.locator('.password-value code').textContent()) ?? '').trim();
  expect(password).not.toBe('');
  await shown.getByRole('button', { name: 'Done' }).click();
  await shown.waitFor({ state: 'detached' });
  return password;
}

async function profileNamed(watched: WatchedPage, name: string) {
  const { status, body } = await apiFromPage<unknown>(watched.page, '/api/profiles');
  expect(status).toBe(200);
  const profiles = profileListSchema.parse(body).items;
  return profiles.find((profile) => profile.name === name);
}

async function auditEntries(watched: WatchedPage): Promise<AuditEntry[]> {
  const { status, body } = await apiFromPage<unknown>(watched.page, '/api/audit?limit=100');
  expect(status).toBe(200);
  return auditListSchema.parse(body).items;
}

function nameIn(view: unknown): unknown {
  return view && typeof view === 'object' ? (view as { name?: unknown }).name : undefined;
}

function flagsIn(view: unknown): unknown {
  return view && typeof view === 'object' ? (view as { flags?: unknown }).flags : undefined;
}

describe('a night shift set up in the console, against the real server in Chromium', () => {
  it('creates, limits, opens up and renames a profile from the UI; the phone and the audit log follow', async () => {
    const supervisor = await signedIn('supervisor');
    const admin = await signedIn('admin');

    // The supervisor creates night_shift: capacity 1, without "call".
    await openSection(supervisor, 'Profiles');
    await consoleOf(supervisor).getByRole('button', { name: 'New profile' }).click();
    const create = supervisor.page.getByRole('dialog', { name: 'New profile' });
    await create.getByLabel('Name').fill('night_shift');
    await create.getByLabel('Capacity').fill('1');
    await create.getByLabel('Channel limit').fill('5');
    const callBox = create.getByRole('checkbox', { name: /^Place calls/ });
    expect(await callBox.isChecked()).toBe(true);
    await callBox.uncheck();
    await create.getByRole('button', { name: 'Create profile' }).click();
    await create.waitFor({ state: 'detached' });
    const row = consoleOf(supervisor)
      .getByRole('row')
      .filter({
        has: supervisor.page.getByRole('button', { name: 'Rename profile night_shift' }),
      });
    await row.getByText('0 of 1 signed in').waitFor();
    const placeCalls = row
      .getByRole('group', { name: 'Features of night_shift' })
      .getByRole('button', { name: 'Place calls' });
    expect(await placeCalls.getAttribute('aria-pressed')).toBe('false');
    const created = await profileNamed(supervisor, 'night_shift');
    expect(created).toMatchObject({ capacity: 1, flags: [] });

    // The admin adds two users on it through the Users section; each password is shown once.
    await openSection(admin, 'Users');
    const password1 = await addUserThroughUi(admin, {
      displayName: 'Night One',
      username: 'night1',
      extension: '1801',
      profile: 'night_shift',
    });
    const password2 = await addUserThroughUi(admin, {
      displayName: 'Night Two',
      username: 'night2',
      extension: '1802',
      profile: 'night_shift',
    });
    const listed = await apiFromPage<unknown>(admin.page, '/api/users?q=night1');
    const night1 = userListSchema.parse(listed.body).items.find((user) => user.username === 'night1');
    expect(night1).toMatchObject({ profileId: created?.id, profileName: 'night_shift', role: 'agent' });
    if (!night1) throw new Error('night1 was not created.');

    // night1 signs in to the phone; calling is off, and a forced call is refused by the server.
    const night = await signedIn('night1', password1);
    await waitForStatus(night.page, /^Registered as 1801/);
    await row.getByText('1 of 1 signed in').waitFor();
    const callButton = phone(night.page).getByRole('button', { name: 'Call', exact: true });
    expect(await callButton.isDisabled()).toBe(true);
    await night.page.evaluate(() => {
      for (const element of document.querySelectorAll('.dialer [disabled]'))
        element.removeAttribute('disabled');
    });
    await phone(night.page).getByLabel('Number or username').fill('1001');
    await callButton.click();
    await phone(night.page)
      .getByRole('alert')
      .filter({ hasText: 'Your profile does not allow outgoing calls.' })
      .waitFor();

    // A second phone on night_shift is refused: the one seat is taken.
    const second = await signedIn('night2', password2);
    const refused = await waitForStatus(second.page, /^Not connected\./);
    expect(refused).toContain('Profile capacity reached (1 of 1 signed in)');

    // agent1 (1001) is on its phone; the supervisor turns on "call"; night1's next call rings agent1.
    const agent1 = await signedIn('agent1');
    await waitForStatus(agent1.page, /^Registered as 1001/);
    await placeCalls.click();
    await expect.poll(() => placeCalls.getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    await expect
      .poll(async () => (await profileNamed(supervisor, 'night_shift'))?.flags, { timeout: 10_000 })
      .toEqual(['call']);
    // The phone learns of the change live (no reload, which would give up the seat).
    await expect.poll(() => callButton.isEnabled(), { timeout: 15_000 }).toBe(true);
    await phone(night.page).getByLabel('Number or username').fill('1001');
    await callButton.click();
    const incoming = phone(agent1.page).getByRole('region', { name: 'Incoming call' });
    await incoming.waitFor({ timeout: 15_000 });
    await incoming.getByRole('button', { name: 'Answer' }).click();
    await phone(night.page)
      .getByRole('heading', { name: /^In call with/ })
      .waitFor();
    await phone(night.page).getByRole('button', { name: 'Hang up' }).click();
    await phone(agent1.page)
      .getByText(/hung up\.$/)
      .waitFor();

    // The supervisor renames the profile in place; night1 stays on it.
    await row.getByRole('button', { name: 'Rename profile night_shift' }).click();
    await consoleOf(supervisor).getByLabel('New name for profile night_shift').fill('night_owls');
    await consoleOf(supervisor).getByRole('button', { name: 'Save' }).click();
    await consoleOf(supervisor).getByRole('button', { name: 'Rename profile night_owls' }).waitFor();
    expect(await profileNamed(supervisor, 'night_shift')).toBeUndefined();
    expect(await profileNamed(supervisor, 'night_owls')).toMatchObject({ id: created?.id, capacity: 1 });
    const after = await apiFromPage<unknown>(admin.page, `/api/users/${night1.id}`);
    expect(after.status).toBe(200);
    expect(userSchema.parse(after.body)).toMatchObject({ profileId: created?.id, profileName: 'night_owls' });
    // The Users table says so too.
    await consoleOf(admin).getByRole('search', { name: 'Filter users' }).getByLabel('Search').fill('night1');
    await consoleOf(admin)
      .getByRole('row')
      .filter({ hasText: 'night1' })
      .getByRole('cell', { name: 'night_owls' })
      .waitFor();
    await waitForStatus(night.page, /^Registered as 1801/);

    // Each change is in the audit log, by whoever made it.
    const entries = await auditEntries(supervisor);
    const profileId = String(created?.id);
    const profileEntries = entries.filter(
      (entry) => entry.entity === 'profile' && entry.entityId === profileId,
    );
    expect(
      profileEntries.find(
        (entry) => entry.action === 'profile.create' && nameIn(entry.after) === 'night_shift',
      ),
    ).toMatchObject({ actorUsername: 'supervisor' });
    expect(
      profileEntries.find(
        (entry) =>
          entry.action === 'profile.update' &&
          JSON.stringify(flagsIn(entry.before)) === '[]' &&
          JSON.stringify(flagsIn(entry.after)) === '["call"]',
      ),
    ).toMatchObject({ actorUsername: 'supervisor' });
    expect(
      profileEntries.find(
        (entry) =>
          entry.action === 'profile.rename' &&
          nameIn(entry.before) === 'night_shift' &&
          nameIn(entry.after) === 'night_owls',
      ),
    ).toMatchObject({ actorUsername: 'supervisor' });
    const userCreates = entries.filter((entry) => entry.action === 'user.create');
    expect(userCreates.map((entry) => entry.entityId)).toContain(String(night1.id));
    expect(userCreates.filter((entry) => entry.actorUsername === 'admin')).toHaveLength(2);

    // ...and the Audit log section shows them.
    await openSection(supervisor, 'Audit log');
    const auditTable = consoleOf(supervisor).getByRole('table', { name: 'Audit log' });
    for (const what of ['Created profile', 'Changed profile', 'Renamed profile', 'Added user'])
      await auditTable.getByRole('row').filter({ hasText: what }).first().waitFor();
    expect(
      await auditTable.getByRole('row').filter({ hasText: 'Renamed profile' }).first().textContent(),
    ).toContain('night_owls');

    for (const watched of [supervisor, admin, night, second, agent1])
      expect(watched.consoleProblems).toEqual([]);
  });
});
