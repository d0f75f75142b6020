import type { EdgeAddress } from '../edge-address';
import { generateBranch, generateCallId, generateTag } from '../message/identifiers';
import { createRequest, type SipRequest } from '../message/sip-message';
import type { SipConnection } from '../transport/transport';

export const EDGE_USER_AGENT = 'Switchboard';

export interface UacRequestInit {
  method: string;
  /** The Request-URI. */
  uri: string;
  /** The From URI (the edge speaks as this party); a display name is optional. */
  fromUri: string;
  fromName?: string;
  toUri: string;
  /** Defaults: a new tag, a new Call-ID, CSeq 1, a Contact at the edge's own address. */
  fromTag?: string;
  callId?: string;
  cseq?: number;
  /** The user part of the edge's Contact (what the peer sends its in-dialog requests to). */
  contactUser?: string;
  body?: string;
  contentType?: string;
}

/**
 * A request the edge originates as a user agent (REGISTER and OPTIONS to a trunk, the carrier leg
 * of a bridged call): its Via and Contact name the address `connection`'s peer reaches the edge at.
 */
export function createUacRequest(
  address: EdgeAddress,
  connection: SipConnection,
  init: UacRequestInit,
): SipRequest {
  const hostPort = address.hostPortFor(connection) ?? address.domain;
  const transportParam = connection.transport === 'tcp' ? ';transport=tcp' : '';
  const from = `${init.fromName ? `"${init.fromName.replace(/["\\]/g, '')}" ` : ''}<${init.fromUri}>;tag=${init.fromTag ?? generateTag()}`;
  const request = createRequest(init.method, init.uri, [
    ['Via', address.via(generateBranch(), connection)],
    ['Max-Forwards', '70'],
    ['From', from],
    ['To', `<${init.toUri}>`],
    ['Call-ID', init.callId ?? generateCallId()],
    ['CSeq', `${init.cseq ?? 1} ${init.method}`],
    ['Contact', `<sip:${init.contactUser ? `${init.contactUser}@` : ''}${hostPort}${transportParam}>`],
    ['User-Agent', EDGE_USER_AGENT],
  ]);
  if (init.body !== undefined && init.body !== '') {
    request.headers.set('Content-Type', init.contentType ?? 'application/sdp');
    request.body = init.body;
  }
  return request;
}
