import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallList } from '../../contracts/calls';
import { finishCall, insertCall } from '../../server/store/calls-repository';
import { callRecords } from '../../server/store/schema';
import type { ApiClient } from './support/api-client';
import { parseCsv } from './support/csv';
import { expectApiError } from './support/expect-error';
import { makeUser, uniqueName } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

const CUSTOMER_IN = '+493055501234';
const CUSTOMER_OUT = '+441632960123';

let server: TestServer;
let supervisor: ApiClient;
const ids: Record<'internal' | 'outbound' | 'inbound' | 'hiddenOutbound', number> = {
  internal: 0,
  outbound: 0,
  inbound: 0,
  hiddenOutbound: 0,
};

/** A call record as the edge leaves it, with its trunk columns set. */
async function trunkCall(
  from: { id: number | null; uri: string },
  to: { id: number | null; uri: string },
  trunk: { direction: 'internal' | 'outbound' | 'inbound'; number: string | null; trunk: string | null },
): Promise<number> {
  const id = await insertCall(server.db, {
    callId: uniqueName('call'),
    fromUri: from.uri,
    fromName: null,
    fromUserId: from.id,
    toUri: to.uri,
    toName: null,
    toUserId: to.id,
    callerProfileId: null,
    callerProfile: null,
    calleeProfileId: null,
    calleeProfile: null,
  });
  await server.db.update(callRecords).set(trunk).where(eq(callRecords.id, id));
  await finishCall(server.db, id, 'answered', null);
  return id;
}

beforeAll(async () => {
  server = await startTestServer();
  supervisor = await server.signIn('supervisor');
  const agent = await makeUser(server.db);
  const other = await makeUser(server.db);
  const secretive = await makeUser(server.db, { callListPrivacy: 'none' });
  const party = (u: { id: number; extension: string }) => ({ id: u.id, uri: u.extension });
  ids.internal = await trunkCall(party(agent), party(other), {
    direction: 'internal',
    number: null,
    trunk: null,
  });
  ids.outbound = await trunkCall(
    party(agent),
    { id: null, uri: CUSTOMER_OUT },
    { direction: 'outbound', number: CUSTOMER_OUT, trunk: 'carrier_a' },
  );
  ids.inbound = await trunkCall({ id: null, uri: CUSTOMER_IN }, party(agent), {
    direction: 'inbound',
    number: CUSTOMER_IN,
    trunk: 'carrier_b',
  });
  ids.hiddenOutbound = await trunkCall(
    party(secretive),
    { id: null, uri: CUSTOMER_OUT },
    { direction: 'outbound', number: CUSTOMER_OUT, trunk: 'carrier_a' },
  );
});
afterAll(() => server?.close());

describe('trunk calls in the call history', () => {
  it('the list filters by direction and shows number and trunk', async () => {
    const inbound = await supervisor.get<CallList>('/api/calls?direction=inbound');
    expect(inbound.status, inbound.text).toBe(200);
    expect(inbound.body.items.map((c) => [c.id, c.direction, c.number, c.trunk])).toEqual([
      [ids.inbound, 'inbound', CUSTOMER_IN, 'carrier_b'],
    ]);
    const outbound = await supervisor.get<CallList>('/api/calls?direction=outbound');
    expect(outbound.body.items.map((c) => c.id).sort((a, b) => a - b)).toEqual([
      ids.outbound,
      ids.hiddenOutbound,
    ]);
    const internal = await supervisor.get<CallList>('/api/calls?direction=internal');
    expect(internal.body.items.map((c) => [c.id, c.number, c.trunk])).toContainEqual([
      ids.internal,
      null,
      null,
    ]);
  });

  it('a direction that is not one of the three: 400 naming the field', async () => {
    const error = expectApiError(
      await supervisor.get('/api/calls?direction=sideways'),
      400,
      'validation_failed',
    );
    expect(error.fields).toEqual({ direction: 'direction must be internal, outbound or inbound' });
  });

  it("the customer's number follows the agent's call-list privacy, like the number they dialled", async () => {
    const list = await supervisor.get<CallList>('/api/calls?direction=outbound');
    const hidden = list.body.items.find((c) => c.id === ids.hiddenOutbound);
    expect([hidden?.to, hidden?.number]).toEqual(['hidden', 'hidden']);
    expect(list.body.items.find((c) => c.id === ids.outbound)?.number).toBe(CUSTOMER_OUT);
  });

  it('the CSV export has direction, number and trunk columns', async () => {
    const response = await supervisor.get<string>('/api/calls/export.csv');
    expect(response.status).toBe(200);
    const [header = [], ...rows] = parseCsv(response.text);
    const columns = ['direction', 'number', 'trunk'].map((name) => header.indexOf(name));
    expect(columns.every((index) => index > 0)).toBe(true);
    const row = (id: number) => {
      const found = rows.find((r) => r[0] === String(id));
      return found && columns.map((index) => found[index]);
    };
    // A leading + is defused against spreadsheet formulas, as every exported field is.
    expect(row(ids.inbound)).toEqual(['inbound', `'${CUSTOMER_IN}`, 'carrier_b']);
    expect(row(ids.outbound)).toEqual(['outbound', `'${CUSTOMER_OUT}`, 'carrier_a']);
    expect(row(ids.hiddenOutbound)).toEqual(['outbound', 'hidden', 'carrier_a']);
    expect(row(ids.internal)).toEqual(['internal', '', '']);

    const filtered = parseCsv((await supervisor.get<string>('/api/calls/export.csv?direction=inbound')).text);
    expect(filtered.slice(1).map((r) => r[0])).toEqual([String(ids.inbound)]);
  });
});
