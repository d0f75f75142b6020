import { expect } from 'vitest';
import type { SipRequest } from '../../server/sip/message/sip-message';
import type { EdgeTestServer } from './edge-test-server';
import { newCallId, newTag, RawSipClient, register } from './raw-sip-client';

/** A dialog as one raw client sees it, to send in-dialog requests. */
export interface RawCall {
  callId: string;
  from: string;
  to: string;
  cseq: number;
  /** The other side's Contact (the remote target). */
  target: string;
}

export const sdp =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\nc=IN IP4 127.0.0.1\r\n';

/**
 * Raw SIP clients speaking to a test edge: registered phones, INVITE, an established call, and
 * in-dialog requests. Clients made here are pushed to `clients` for the test to close.
 */
/** What `rawDialogs` needs of a test server: the edge test server, or the queue tests' one. */
export type DialogServer = Pick<EdgeTestServer, 'config' | 'wsUrl' | 'passwords'> & {
  edge: Pick<EdgeTestServer['edge'], 'dialogs'>;
};

export function rawDialogs(server: () => DialogServer, clients: RawSipClient[]) {
  const domain = () => server().config.sipDomain;
  const edgeRoute = () => `<sip:${domain()};transport=ws;lr>`;

  /** Drops every client, then waits (up to 4 s) for the edge to have ended their calls. */
  async function disconnectAll(): Promise<void> {
    for (const c of clients.splice(0)) c.terminate();
    const started = Date.now();
    while (server().edge.dialogs().length > 0 && Date.now() - started < 4000)
      await new Promise((r) => setTimeout(r, 20));
  }

  /** A client registered as `user`; `contactParams` are added to its Contact (e.g. `;+switchboard.mix`). */
  async function online(
    user: string,
    identity: { host?: string; contactUser?: string } = {},
    contactParams = '',
  ): Promise<RawSipClient> {
    const c = await RawSipClient.connect(server().wsUrl, identity);
    clients.push(c);
    const ok = await register(c, {
      domain: domain(),
      user,
      password: server().passwords.get(user) ?? '',
      contactParams,
    });
    expect(ok.status).toBe(200);
    return c;
  }

  function invite(
    caller: RawSipClient,
    user: string,
    target: string,
    extra: [string, string][] = [],
  ): RawCall & { send(): void } {
    const callId = newCallId();
    const call = {
      callId,
      from: `<sip:${user}@${domain()}>;tag=${newTag()}`,
      to: `<sip:${target}@${domain()}>`,
      cseq: 1,
      target: '',
      send: () =>
        caller.send({
          method: 'INVITE',
          uri: `sip:${target}@${domain()}`,
          from: call.from,
          to: call.to,
          callId,
          cseq: 1,
          headers: [['Contact', caller.contact], ['Content-Type', 'application/sdp'], ...extra],
          body: sdp,
        }),
    };
    return call;
  }

  /** Answers an INVITE that reached `callee` (180 then 200 with a Contact); returns the To tag. */
  function answer(callee: RawSipClient, atCallee: SipRequest, ringFirst = true): string {
    const calleeTag = newTag();
    if (ringFirst) callee.answer(atCallee, 180, 'Ringing', { toTag: calleeTag });
    callee.answer(atCallee, 200, 'OK', {
      toTag: calleeTag,
      headers: [
        ['Contact', callee.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: sdp,
    });
    return calleeTag;
  }

  /** The caller's 2xx arrived: note the dialog's To and target, and ACK it. */
  async function acknowledge(caller: RawSipClient, call: RawCall): Promise<void> {
    const ok = await caller.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    call.to = ok.headers.get('to') ?? '';
    call.target = /<([^>]+)>/.exec(ok.headers.get('contact') ?? '')?.[1] ?? '';
    caller.send({
      method: 'ACK',
      uri: call.target,
      from: call.from,
      to: call.to,
      callId: call.callId,
      cseq: 1,
      headers: [['Route', edgeRoute()]],
    });
  }

  /** caller → callee: INVITE, 180, 200, ACK. Returns the call as the caller sees it. */
  async function establish(
    caller: RawSipClient,
    callerUser: string,
    callee: RawSipClient,
    target: string,
    extra: [string, string][] = [],
  ): Promise<{ call: RawCall; atCallee: SipRequest; calleeTag: string }> {
    const call = invite(caller, callerUser, target, extra);
    call.send();
    const atCallee = await callee.request('INVITE');
    const calleeTag = answer(callee, atCallee);
    await acknowledge(caller, call);
    await callee.request('ACK');
    return { call, atCallee, calleeTag };
  }

  function inDialog(
    client: RawSipClient,
    call: RawCall,
    method: string,
    extra: [string, string][] = [],
    body = '',
  ): void {
    call.cseq++;
    client.send({
      method,
      uri: call.target,
      from: call.from,
      to: call.to,
      callId: call.callId,
      cseq: call.cseq,
      headers: [['Route', edgeRoute()], ...extra],
      body,
    });
  }

  /** The callee's view of the dialog, to send requests back to the caller. */
  function reverse(atCallee: SipRequest, calleeTag: string): RawCall {
    const to = atCallee.headers.get('to') ?? '';
    return {
      callId: atCallee.headers.get('call-id') ?? '',
      from: `${to};tag=${calleeTag}`,
      to: atCallee.headers.get('from') ?? '',
      cseq: 100,
      target: /<([^>]+)>/.exec(atCallee.headers.get('contact') ?? '')?.[1] ?? '',
    };
  }

  return {
    domain,
    edgeRoute,
    sdp,
    disconnectAll,
    online,
    invite,
    answer,
    acknowledge,
    establish,
    inDialog,
    reverse,
  };
}
