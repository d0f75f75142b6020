import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callListSchema, type CallList, type CallRecord, type Disposition } from '../../contracts/calls';
import { finishCall, insertCall, markCallAnswered } from '../../server/store/calls-repository';
import type { ApiClient } from './support/api-client';
import { parseCsv } from './support/csv';
import { makeUser, uniqueName } from './support/fixtures';
import { userId } from './support/snapshot';
import { startTestServer, type TestServer } from './support/test-server';

type Party = { id: number | null; uri: string; name: string | null };
type Fixture = { id: number; from: Party; to: Party; disposition: Disposition; startedAt: Date };

let server: TestServer;
let supervisor: ApiClient;
let agent1: ApiClient;
const calls: Fixture[] = [];
let people: Record<'agent1' | 'agent2' | 'agent3' | 'shortened' | 'hidden', Party>;

const EXTERNAL = '+15551234567';
const TRICKY_NAME = 'Smith, "Jr"\r\nsecond line';
const FORMULA_NAME = '=HYPERLINK("http://evil.example","click")';

async function record(from: Party, to: Party, disposition: Disposition, startedAt: Date) {
  const id = await insertCall(server.db, {
    callId: uniqueName('call'),
    fromUri: from.uri,
    fromName: from.name,
    fromUserId: from.id,
    toUri: to.uri,
    toName: to.name,
    toUserId: to.id,
    callerProfileId: null,
    callerProfile: null,
    calleeProfileId: null,
    calleeProfile: null,
    startedAt,
  });
  if (disposition === 'answered') await markCallAnswered(server.db, id, new Date(startedAt.getTime() + 2000));
  await finishCall(
    server.db,
    id,
    disposition,
    disposition === 'refused' ? 'channel limit reached' : null,
    new Date(startedAt.getTime() + 62_000),
  );
  calls.push({ id, from, to, disposition, startedAt });
}

beforeAll(async () => {
  server = await startTestServer();
  supervisor = await server.signIn('supervisor');
  agent1 = await server.signIn('agent1');
  const demo = async (username: string, extension: string) => ({
    id: await userId(server.db, username),
    uri: extension,
    name: username,
  });
  const shortened = await makeUser(server.db, { callListPrivacy: 'shortened' });
  const hidden = await makeUser(server.db, { callListPrivacy: 'none' });
  people = {
    agent1: await demo('agent1', '1001'),
    agent2: await demo('agent2', '1002'),
    agent3: await demo('agent3', '1003'),
    shortened: { id: shortened.id, uri: shortened.extension, name: shortened.username },
    hidden: { id: hidden.id, uri: hidden.extension, name: hidden.username },
  };
  const at = (day: number) => new Date(Date.UTC(2026, 10, day, 9, 0, 0));
  await record(people.agent1, people.agent2, 'answered', at(1));
  await record(people.agent2, people.agent1, 'missed', at(2));
  await record(people.agent2, people.agent3, 'busy', at(3));
  await record(people.agent3, { id: null, uri: EXTERNAL, name: FORMULA_NAME }, 'answered', at(4));
  await record({ id: null, uri: '+4930123456', name: TRICKY_NAME }, people.agent3, 'refused', at(5));
  await record(people.shortened, { id: null, uri: '0201234567', name: 'Customer A' }, 'answered', at(6));
  await record({ id: null, uri: '0309876543', name: 'Customer B' }, people.hidden, 'answered', at(7));
});
afterAll(() => server?.close());

const list = async (client: ApiClient, query = '') => {
  const response = await client.get<CallList>(`/api/calls?limit=500${query}`);
  expect(response.status, response.text).toBe(200);
  return callListSchema.parse(response.body);
};
const idsOf = (items: { id: number }[]) => items.map((c) => c.id).sort((a, b) => a - b);
const fixtureIds = (keep: (call: Fixture) => boolean) =>
  calls
    .filter(keep)
    .map((c) => c.id)
    .sort((a, b) => a - b);
const byId = (items: CallRecord[], id: number | undefined) => items.find((c) => c.id === id);

describe('who sees which calls', () => {
  it('an agent sees only calls they took part in', async () => {
    const own = await list(agent1);
    const agent1Id = people.agent1.id;
    expect(idsOf(own.items)).toEqual(fixtureIds((c) => c.from.id === agent1Id || c.to.id === agent1Id));
    expect(own.total).toBe(own.items.length);
  });

  it('a supervisor sees every call, newest first, and may filter by user', async () => {
    const everything = await list(supervisor);
    expect(idsOf(everything.items)).toEqual(fixtureIds(() => true));
    const started = everything.items.map((c) => c.startedAt);
    expect(started).toEqual([...started].sort().reverse());

    const agent3Id = people.agent3.id;
    const ofAgent3 = await list(supervisor, `&userId=${agent3Id}`);
    expect(idsOf(ofAgent3.items)).toEqual(fixtureIds((c) => c.from.id === agent3Id || c.to.id === agent3Id));
  });

  it('filters by disposition and by time', async () => {
    expect(idsOf((await list(supervisor, '&disposition=busy')).items)).toEqual(
      fixtureIds((c) => c.disposition === 'busy'),
    );
    const from = new Date(Date.UTC(2026, 10, 3));
    const to = new Date(Date.UTC(2026, 10, 5, 12));
    const window = await list(supervisor, `&from=${from.toISOString()}&to=${to.toISOString()}`);
    expect(idsOf(window.items)).toEqual(fixtureIds((c) => c.startedAt >= from && c.startedAt <= to));
  });

  it('pages', async () => {
    const first = await supervisor.get<CallList>('/api/calls?limit=3');
    const second = await supervisor.get<CallList>('/api/calls?limit=3&offset=3');
    expect(first.body.items).toHaveLength(3);
    expect(first.body.total).toBe(calls.length);
    const seen = [...first.body.items, ...second.body.items].map((c) => c.id);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('call-list privacy', () => {
  it('complete shows the number and name', async () => {
    const items = (await list(supervisor)).items;
    const call = byId(items, calls.find((c) => c.to.uri === EXTERNAL)?.id);
    expect(call).toMatchObject({ to: EXTERNAL, toName: FORMULA_NAME });
  });

  it('shortened masks the last digits of the number the user dialled', async () => {
    const fixture = calls.find((c) => c.from.id === people.shortened.id);
    const call = byId((await list(supervisor)).items, fixture?.id);
    const raw = fixture?.to.uri ?? '';
    const shown = call?.to ?? '';
    expect(shown).not.toBe(raw);
    expect(shown).toHaveLength(raw.length);
    const visible = shown.replace(/•+$/, '');
    expect(visible.length).toBeLessThan(raw.length);
    expect(visible.length).toBeGreaterThan(0);
    expect(raw.startsWith(visible)).toBe(true);
  });

  it('none hides the number and name of whoever called the user', async () => {
    const fixture = calls.find((c) => c.to.id === people.hidden.id);
    const call = byId((await list(supervisor)).items, fixture?.id);
    expect(call?.from).not.toContain(fixture?.from.uri.slice(-4) ?? '?');
    expect(call?.fromName).toBeNull();
  });

  it('the CSV export honours privacy too', async () => {
    const csv = await supervisor.get<string>('/api/calls/export.csv');
    expect(csv.text).not.toContain('0201234567');
    expect(csv.text).not.toContain('0309876543');
    expect(csv.text).not.toContain('Customer B');
  });
});

describe('CSV export', () => {
  let rows: string[][];
  let header: string[];

  beforeAll(async () => {
    const response = await supervisor.get<string>('/api/calls/export.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
    [header = [], ...rows] = parseCsv(response.text);
  });

  const column = (row: string[] | undefined, name: string) => row?.[header.indexOf(name)];
  const rowOf = (id: number | undefined) => rows.find((row) => row[0] === String(id));

  it('starts with a header and has one line per record, each as wide as the header', async () => {
    expect(header).toEqual(
      expect.arrayContaining([
        'id',
        'from',
        'from_name',
        'to',
        'to_name',
        'started_at',
        'ended_at',
        'disposition',
        'reason',
      ]),
    );
    expect(header[0]).toBe('id');
    expect(rows.map((row) => Number(row[0])).sort((a, b) => a - b)).toEqual(fixtureIds(() => true));
    for (const row of rows) expect(row).toHaveLength(header.length);
  });

  it('quotes commas, quotes and line breaks (RFC 4180) so the value survives a round trip', async () => {
    const fixture = calls.find((c) => c.from.name === TRICKY_NAME);
    expect(column(rowOf(fixture?.id), 'from_name')).toBe(TRICKY_NAME);
    expect(column(rowOf(fixture?.id), 'reason')).toBe('channel limit reached');
  });

  it('defuses text a spreadsheet would run as a formula', async () => {
    const fixture = calls.find((c) => c.to.name === FORMULA_NAME);
    const cell = column(rowOf(fixture?.id), 'to_name') ?? '';
    expect(cell).not.toMatch(/^[=+\-@]/);
    expect(cell).toContain(FORMULA_NAME);
  });

  it('an agent’s export holds only their own calls', async () => {
    const response = await agent1.get<string>('/api/calls/export.csv');
    const [, ...own] = parseCsv(response.text);
    const agent1Id = people.agent1.id;
    expect(own.map((row) => Number(row[0])).sort((a, b) => a - b)).toEqual(
      fixtureIds((c) => c.from.id === agent1Id || c.to.id === agent1Id),
    );
  });
});
