import { expect } from 'vitest';
import { deviceCreatedSchema, type DeviceCreated } from '../../../contracts/devices';
import type { ApiClient } from '../../api/support/api-client';
import type { EdgeTestServer } from '../edge-test-server';
import { digestAnswer, newCallId, newTag, register } from '../raw-sip-client';
import { RawSocketSipClient } from '../raw-socket-client';

/** What a desk phone signs in with: a device's own credentials, or a user's. */
export interface DeskCredentials {
  username: string;
  password: string;
}

/** The credentials the API showed once for a new `sip_phone` device. */
export const credentialsOf = (created: DeviceCreated): DeskCredentials => ({
  username: created.credentials?.username ?? '',
  password: created.credentials?.password ?? '',
});

/** A `sip_phone` device added to user `userId` through the API by `admin` (checked 201). */
export async function addDeskPhone(admin: ApiClient, userId: number, name = 'Desk'): Promise<DeviceCreated> {
  const response = await admin.post(`/api/users/${userId}/devices`, { json: { kind: 'sip_phone', name } });
  expect(response.status, response.text).toBe(201);
  return deviceCreatedSchema.parse(response.body);
}

/** A desk phone over UDP or TCP, registered with `credentials`; kept in `phones` for the test to close. */
export async function registeredDesk(
  server: EdgeTestServer,
  phones: RawSocketSipClient[],
  credentials: DeskCredentials,
  transport: 'udp' | 'tcp' = 'udp',
): Promise<RawSocketSipClient> {
  const desk =
    transport === 'udp'
      ? await RawSocketSipClient.udp(server.sip.udp ?? 0)
      : await RawSocketSipClient.tcp(server.sip.tcp ?? 0);
  phones.push(desk);
  const ok = await register(desk, {
    domain: server.config.sipDomain,
    user: credentials.username,
    password: credentials.password,
  });
  expect(ok.status, ok.reason).toBe(200);
  return desk;
}

/** A desk phone's INVITE as sent: its parts, and the text of the last one sent (to send it again). */
export interface DeskCall {
  method: string;
  uri: string;
  from: string;
  to: string;
  callId: string;
  headers: [string, string][];
  body: string;
  /** The INVITE that carries the credentials (over TCP: the only one). */
  sent: string;
}

/**
 * The desk phone's INVITE to `dialled` with `body` as its offer. Over UDP a source address proves
 * nothing: the edge's 407 is ACKed on the INVITE's branch (the ACK of a non-2xx belongs to its
 * transaction) and the INVITE sent again with an MD5 Proxy-Authorization. Over TCP the
 * registration on the connection vouches for it.
 */
export async function deskDials(
  desk: RawSocketSipClient,
  credentials: DeskCredentials,
  domain: string,
  dialled: string,
  body: string,
): Promise<DeskCall> {
  const base = {
    method: 'INVITE',
    uri: `sip:${dialled}@${domain}`,
    from: `<sip:${credentials.username}@${domain}>;tag=${newTag()}`,
    to: `<sip:${dialled}@${domain}>`,
    callId: newCallId(),
    headers: [
      ['Contact', desk.contact],
      ['Content-Type', 'application/sdp'],
    ] as [string, string][],
    body,
  };
  const branch = `z9hG4bK${newTag()}`;
  const first = desk.send({ ...base, cseq: 1, branch });
  if (desk.transport === 'tcp') return { ...base, sent: first };
  const challenge = await desk.response(base.callId, 'INVITE');
  expect(challenge.status).toBe(407);
  desk.send({ ...base, method: 'ACK', to: challenge.headers.get('to') ?? '', cseq: 1, branch, body: '' });
  const offer = challenge.headers.getAll('proxy-authenticate').find((v) => v.includes('MD5')) ?? '';
  const authorization = digestAnswer({
    challenge: offer,
    username: credentials.username,
    password: credentials.password,
    method: 'INVITE',
    uri: base.uri,
  });
  const sent = desk.send({
    ...base,
    cseq: 2,
    headers: [...base.headers, ['Proxy-Authorization', authorization]],
  });
  return { ...base, sent };
}
