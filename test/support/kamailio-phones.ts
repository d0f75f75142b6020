import { expect } from 'vitest';
import { sipCredentialsSchema } from '../../contracts/sip';
import type { SipRequest, SipResponse } from '../../server/sip/message/sip-message';
import { ApiClient } from '../api/support/api-client';
import { sdp } from '../sip/raw-dialogs';
import type { RawSipClient } from '../sip/raw-sip-client';
import { digestAnswer, newCallId, newTag } from '../sip/raw-sip-client';
import type { TestCluster } from './kamailio-cluster';

// Raw SIP phones on the test cluster's Kamailio instances: sign in, call, answer, hang up.

export const DOMAIN = 'switchboard.local';

/** A demo user signed in to `serverUrl` (its API client). */
export async function signedIn(cluster: TestCluster, serverUrl: string, username: string) {
  const login = cluster.logins[username];
  if (!login) throw new Error(`No demo login for ${username} in the first server's output`);
  const api = new ApiClient(serverUrl);
  expect((await api.signIn(username, login.password)).status).toBe(200);
  return api;
}

/** The short-lived SIP credentials a web session on `serverUrl` gets. */
export async function webCredentials(cluster: TestCluster, serverUrl: string, username: string) {
  const api = await signedIn(cluster, serverUrl, username);
  const answer = await api.get('/api/sip/credentials');
  expect(answer.status, answer.text).toBe(200);
  return sipCredentialsSchema.parse(answer.body);
}

export type Auth = { username: string; password: string };

/** An established call as its caller sees it: enough to send requests inside it. */
export type RawKamailioCall = {
  callId: string;
  from: string;
  to: string;
  /** The callee's Contact and the Record-Route set, reversed (the caller's route set). */
  target: string;
  routes: string[];
  cseq: number;
};

/** Sends an initial INVITE (or, inside a call, a request) answering Kamailio's 407 with `auth`. */
async function sendAuthorized(
  caller: RawSipClient,
  parts: Parameters<RawSipClient['send']>[0] & { cseq: number },
  auth: Auth,
): Promise<{ response: SipResponse; cseq: number }> {
  caller.send(parts);
  const challenge = await caller.response(parts.callId, parts.method, true, 10_000);
  if (challenge.status !== 407) return { response: challenge, cseq: parts.cseq };
  if (parts.method === 'INVITE')
    caller.send({
      method: 'ACK',
      uri: parts.uri,
      from: parts.from,
      to: challenge.headers.get('to') ?? parts.to,
      callId: parts.callId,
      cseq: parts.cseq,
      headers: parts.headers?.filter(([name]) => name === 'Route'),
    });
  const offer = challenge.headers.getAll('proxy-authenticate')[0] ?? '';
  const cseq = parts.cseq + 1;
  caller.send({
    ...parts,
    cseq,
    headers: [
      ...(parts.headers ?? []),
      [
        'Proxy-Authorization',
        digestAnswer({ challenge: offer, ...auth, method: parts.method, uri: parts.uri }),
      ],
    ],
  });
  let response = await caller.response(parts.callId, parts.method, false, 10_000);
  while (response.status < 200) response = await caller.response(parts.callId, parts.method, false, 10_000);
  return { response, cseq };
}

/** An INVITE from `caller` to `to`, the callee's phone answering 200 (or `status`). */
export async function call(options: {
  caller: RawSipClient;
  callee: RawSipClient;
  from: string;
  to: string;
  auth: Auth;
  mark?: string;
  /** Runs when the callee's phone rings, before it answers. */
  ringing?: (offered: SipRequest) => Promise<void>;
}): Promise<{ response: SipResponse; call: RawKamailioCall; offered: SipRequest }> {
  const { caller, callee } = options;
  const callId = newCallId();
  const from = `<sip:${options.from}@${DOMAIN}>;tag=${newTag()}`;
  const uri = `sip:${options.to}@${DOMAIN}`;
  const ringing = callee.request('INVITE', 15_000);
  const sent = sendAuthorized(
    caller,
    {
      method: 'INVITE',
      uri,
      from,
      to: `<sip:${options.to}@${DOMAIN}>`,
      callId,
      cseq: 1,
      headers: [
        ['Contact', caller.contact],
        ['Content-Type', 'application/sdp'],
        ...(options.mark ? [['X-Switchboard-Monitor', options.mark] as [string, string]] : []),
      ],
      body: sdp,
    },
    options.auth,
  );
  const offered = await ringing;
  await options.ringing?.(offered);
  callee.answer(offered, 200, 'OK', {
    toTag: newTag(),
    headers: [
      ['Contact', callee.contact],
      ['Content-Type', 'application/sdp'],
    ],
    body: sdp,
  });
  const { response, cseq } = await sent;
  const routes = response.headers
    .getAll('record-route')
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .reverse();
  const established: RawKamailioCall = {
    callId,
    from,
    to: response.headers.get('to') ?? '',
    target: /<([^>]+)>/.exec(response.headers.get('contact') ?? '')?.[1] ?? '',
    routes,
    cseq,
  };
  if (response.status === 200) {
    const acked = callee.request('ACK', 10_000);
    caller.send(inCall(established, 'ACK', cseq));
    await acked;
  }
  return { response, call: established, offered };
}

/** A request inside `call`, from its caller, along its route set. */
export function inCall(
  call: RawKamailioCall,
  method: string,
  cseq: number,
  headers: [string, string][] = [],
) {
  return {
    method,
    uri: call.target,
    from: call.from,
    to: call.to,
    callId: call.callId,
    cseq,
    headers: [...call.routes.map((route): [string, string] => ['Route', route]), ...headers],
  };
}

/** A mode change in a monitor session (an INFO with the mark), authorised; the agent's phone accepts. */
export async function changeMode(
  operator: RawSipClient,
  agent: RawSipClient,
  call: RawKamailioCall,
  mark: string,
  auth: Auth,
): Promise<SipResponse> {
  const offered = agent.request('INFO', 10_000);
  const sent = sendAuthorized(
    operator,
    { ...inCall(call, 'INFO', ++call.cseq, [['X-Switchboard-Monitor', mark]]) },
    auth,
  );
  agent.answer(await offered, 200, 'OK');
  const { response, cseq } = await sent;
  call.cseq = cseq;
  return response;
}

/** The caller hangs up; the callee's phone answers the BYE. */
export async function hangUp(
  caller: RawSipClient,
  callee: RawSipClient,
  call: RawKamailioCall,
): Promise<void> {
  const bye = callee.request('BYE', 10_000);
  caller.send(inCall(call, 'BYE', ++call.cseq));
  callee.answer(await bye, 200, 'OK');
  expect((await caller.response(call.callId, 'BYE', true, 10_000)).status).toBe(200);
}
