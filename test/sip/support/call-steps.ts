import { expect } from 'vitest';
import {
  chromiumAnswer,
  chromiumOffer,
  plainAnswer,
  plainOffer,
} from '../../../server/media/rtpengine/sample-sdp.fixture';
import type { SipRequest, SipResponse } from '../../../server/sip/message/sip-message';
import type { EdgeTestServer } from '../edge-test-server';
import { newCallId, newTag, type RequestParts } from '../raw-sip-client';
import { bodyOf, midOf, uriOf } from './sip-text';

/** A dialog as one of its ends sees it: enough to send requests in it. */
export interface Dialog {
  callId: string;
  from: string;
  to: string;
  target: string;
}

/** Anything that sends raw requests to the edge: a browser, a desk phone, a carrier. */
export interface RequestSender {
  send(parts: RequestParts): unknown;
}

/** Anything that answers the edge's requests: a browser, a desk phone, a carrier. */
export interface Answerer {
  readonly contact: string;
  answer(
    request: SipRequest,
    status: number,
    reason: string,
    extra?: { toTag?: string; headers?: [string, string][]; body?: string },
  ): unknown;
}

/** Sends `method` in `dialog` with `cseq` (and any headers or body). */
export function sendInDialog(
  peer: RequestSender,
  dialog: Dialog,
  method: string,
  cseq: number,
  extra: { headers?: [string, string][]; body?: string } = {},
): void {
  peer.send({
    method,
    uri: dialog.target,
    from: dialog.from,
    to: dialog.to,
    callId: dialog.callId,
    cseq,
    ...extra,
  });
}

/** The caller's view of its dialog once the callee's 2xx `ok` arrived. */
export function callerDialog(call: { callId: string; from: string }, ok: SipResponse): Dialog {
  return {
    callId: call.callId,
    from: call.from,
    to: ok.headers.get('to') ?? '',
    target: uriOf(ok.headers.get('contact')),
  };
}

/** The callee's view of the dialog it answered with To tag `tag`. */
export function calleeDialog(invite: SipRequest, tag: string): Dialog {
  return {
    callId: invite.headers.get('call-id') ?? '',
    from: `${invite.headers.get('to') ?? ''};tag=${tag}`,
    to: invite.headers.get('from') ?? '',
    target: uriOf(invite.headers.get('contact')),
  };
}

/** A new INVITE's identity: Call-ID, From with a tag, To and Request-URI, its branch (for a CANCEL). */
export interface NewCall {
  callId: string;
  from: string;
  to: string;
  uri: string;
  branch: string;
}

/** A browser's INVITE to `dialled` with a Chromium offer; `invite()` sends it (again, with headers). */
export function browserDials(
  client: RequestSender & { readonly contact: string },
  domain: string,
  user: string,
  dialled: string,
  extra: [string, string][] = [],
): NewCall & { invite(more?: [string, string][]): void } {
  const call: NewCall = {
    callId: newCallId(),
    from: `<sip:${user}@${domain}>;tag=${newTag()}`,
    to: `<sip:${dialled}@${domain}>`,
    uri: `sip:${dialled}@${domain}`,
    branch: `z9hG4bK${newCallId()}`,
  };
  const invite = (more: [string, string][] = []) =>
    client.send({
      ...call,
      method: 'INVITE',
      cseq: 1,
      headers: [['Contact', client.contact], ['Content-Type', 'application/sdp'], ...extra, ...more],
      body: chromiumOffer,
    });
  invite();
  return { ...call, invite };
}

/** The browser's ACK to the edge's 200; returns the dialog as the browser sees it. */
export function browserAcks(
  client: RequestSender,
  call: { callId: string; from: string },
  ok: SipResponse,
): Dialog {
  const dialog = callerDialog(call, ok);
  sendInDialog(client, dialog, 'ACK', 1);
  return dialog;
}

/** A carrier calls `number` with a plain offer (from `customer` at `address`); the call's identity. */
export function carrierCalls(
  carrier: { send(parts: RequestParts): string },
  server: EdgeTestServer,
  number: string,
  { customer = '+4917612345', address = '127.0.0.1', port = 41000 } = {},
): NewCall {
  const call: NewCall = {
    callId: newCallId(),
    from: `<sip:${customer}@${address}>;tag=${newTag()}`,
    to: `<sip:${number}@127.0.0.1>`,
    uri: `sip:${number}@127.0.0.1:${server.sip.udp}`,
    branch: '',
  };
  call.branch = carrier.send({
    method: 'INVITE',
    uri: call.uri,
    from: call.from,
    to: call.to,
    callId: call.callId,
    cseq: 1,
    body: plainOffer(port),
  });
  return call;
}

/** The carrier answers the edge's INVITE 180, then 200 with a plain answer; its view of the dialog. */
export function carrierAnswers(carrier: Answerer, invite: SipRequest, port = 40000): Dialog {
  const tag = newTag();
  carrier.answer(invite, 180, 'Ringing', { toTag: tag });
  carrier.answer(invite, 200, 'OK', {
    toTag: tag,
    headers: [['Contact', carrier.contact]],
    body: plainAnswer(port),
  });
  return calleeDialog(invite, tag);
}

/** A phone answers an INVITE with `body` (180 first unless `ring` is false, then 200 with its Contact); its To tag. */
export function answerWith(phone: Answerer, invite: SipRequest, body: string, ring = true): string {
  const tag = newTag();
  if (ring) phone.answer(invite, 180, 'Ringing', { toTag: tag });
  phone.answer(invite, 200, 'OK', {
    toTag: tag,
    headers: [
      ['Contact', phone.contact],
      ['Content-Type', 'application/sdp'],
    ],
    body,
  });
  return tag;
}

/** A browser answers the bridged offer (180 unless `ring` is false, then 200 with a Chromium answer); its To tag. */
export function phoneAnswers(phone: Answerer, invite: SipRequest, ring = true): string {
  return answerWith(phone, invite, chromiumAnswer(midOf(bodyOf(invite))), ring);
}

/** A ringing phone got the edge's CANCEL: 200 to it, 487 to the INVITE; the CANCEL, to read its Reason. */
export async function phoneCancelled(
  phone: Answerer & { request(method: string): Promise<SipRequest> },
  invite: SipRequest,
): Promise<SipRequest> {
  const cancel = await phone.request('CANCEL');
  phone.answer(cancel, 200, 'OK');
  phone.answer(invite, 487, 'Request Terminated', { toTag: newTag() });
  return cancel;
}

/** The far end's 200 to `callId`'s INVITE (checked); both the response and the dialog from it. */
export async function answered(
  caller: { response(callId: string, method: string): Promise<SipResponse> },
  call: { callId: string; from: string },
): Promise<{ ok: SipResponse; dialog: Dialog }> {
  const ok = await caller.response(call.callId, 'INVITE');
  expect(ok.status).toBe(200);
  return { ok, dialog: callerDialog(call, ok) };
}

/** The caller gives up before the answer: CANCEL on its INVITE's branch. */
export function sendCancel(peer: RequestSender, call: NewCall): void {
  peer.send({
    method: 'CANCEL',
    uri: call.uri,
    from: call.from,
    to: call.to,
    callId: call.callId,
    cseq: 1,
    branch: call.branch,
  });
}
