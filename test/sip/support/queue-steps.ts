import type { SipResponse } from '../../../server/sip/message/sip-message';
import { sdp } from '../raw-dialogs';
import { newCallId, newTag, type RawSipClient } from '../raw-sip-client';

/** A call into a queue as its caller sees it; `to` and `target` are filled in once it is answered. */
export interface QueueCall {
  caller: RawSipClient;
  callId: string;
  from: string;
  to: string;
  branch: string;
  cseq: number;
  target: string;
}

/** `user` on `caller` dials the queue's `extension`; resolves with the edge's first answer past 100 (180 while it waits). */
export async function dialQueue(
  caller: RawSipClient,
  domain: string,
  user: string,
  extension: string,
): Promise<QueueCall & { ringing: SipResponse }> {
  const call: QueueCall = {
    caller,
    callId: newCallId(),
    from: `<sip:${user}@${domain}>;tag=${newTag()}`,
    to: `<sip:${extension}@${domain}>`,
    branch: `z9hG4bK${newTag()}`,
    cseq: 1,
    target: '',
  };
  caller.send({
    method: 'INVITE',
    uri: `sip:${extension}@${domain}`,
    from: call.from,
    to: call.to,
    callId: call.callId,
    cseq: 1,
    branch: call.branch,
    headers: [
      ['Contact', caller.contact],
      ['Content-Type', 'application/sdp'],
    ],
    body: sdp,
  });
  const ringing = (await caller.next(
    (m) => m.kind === 'response' && m.headers.get('call-id') === call.callId && m.status !== 100,
  )) as SipResponse;
  return { ...call, ringing };
}
