import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import { rawDialogs } from './raw-dialogs';
import { newTag, type RawSipClient } from './raw-sip-client';

// Issue 20: the edge says who each party of a call is (RFC 3325 P-Asserted-Identity), so a phone
// transferred by REFER shows the new party's name; whatever identity a client asserts is replaced.

let server: EdgeTestServer;
const clients: RawSipClient[] = [];

beforeAll(async () => {
  server = await startEdgeServer();
});
afterEach(() => disconnectAll());
afterAll(async () => {
  await server.stop();
});

const domain = () => server.config.sipDomain;
const { disconnectAll, online, invite, sdp } = rawDialogs(() => server, clients);

describe('P-Asserted-Identity on a call through the edge', () => {
  it('names the caller to the callee and the callee back to the caller, replacing forged ones', async () => {
    const agent1 = await online('agent1');
    const agent2 = await online('agent2');
    const call = invite(agent1, 'agent1', '1002', [
      ['P-Asserted-Identity', '"The Boss" <sip:9999@elsewhere>'],
    ]);
    call.send();

    const atCallee = await agent2.request('INVITE');
    expect(atCallee.headers.getAll('p-asserted-identity')).toEqual([`"Agent One" <sip:1001@${domain()}>`]);

    const tag = newTag();
    const forged: [string, string] = ['P-Asserted-Identity', '"Someone Else" <sip:1006@elsewhere>'];
    agent2.answer(atCallee, 180, 'Ringing', { toTag: tag, headers: [forged] });
    const ringing = await agent1.response(call.callId, 'INVITE', false);
    expect(ringing.status).toBe(180);
    expect(ringing.headers.getAll('p-asserted-identity')).toEqual([`"Agent Two" <sip:1002@${domain()}>`]);

    agent2.answer(atCallee, 200, 'OK', {
      toTag: tag,
      headers: [['Contact', agent2.contact], ['Content-Type', 'application/sdp'], forged],
      body: sdp,
    });
    const ok = await agent1.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    expect(ok.headers.getAll('p-asserted-identity')).toEqual([`"Agent Two" <sip:1002@${domain()}>`]);
  });
});
