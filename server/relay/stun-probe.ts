import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { connect } from 'node:net';

const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;

/** Where a `turn:`/`turns:` URL points: host, port and how to reach it. */
export function relayEndpoint(url: string): { host: string; port: number; transport: 'udp' | 'tcp' } | null {
  const match = /^(turns?):(\[[^\]]+\]|[^:?]+)(?::(\d+))?(?:\?transport=(udp|tcp))?$/i.exec(url);
  if (!match?.[1] || !match[2]) return null;
  const secure = match[1].toLowerCase() === 'turns';
  const host = match[2].replace(/^\[|\]$/g, '');
  const port = match[3] ? Number(match[3]) : secure ? 5349 : 3478;
  const transport = secure || match[4]?.toLowerCase() === 'tcp' ? 'tcp' : 'udp';
  return { host, port, transport };
}

/** A STUN Binding request (RFC 8489): header only. */
export function bindingRequest(transactionId: Buffer): Buffer {
  const message = Buffer.alloc(20);
  message.writeUInt16BE(BINDING_REQUEST, 0);
  message.writeUInt16BE(0, 2);
  message.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(message, 8);
  return message;
}

/**
 * Whether the relay behind `url` answers within `timeoutMs`: a STUN Binding request over UDP (any
 * STUN response with our transaction id counts), or a TCP connection for TCP and TLS URLs.
 */
export async function relayAnswers(url: string, timeoutMs = 1_000): Promise<boolean> {
  const endpoint = relayEndpoint(url);
  if (!endpoint) return false;
  if (endpoint.transport === 'tcp') {
    return new Promise((resolve) => {
      const socket = connect({ host: endpoint.host, port: endpoint.port });
      const done = (answered: boolean) => {
        socket.destroy();
        resolve(answered);
      };
      socket.setTimeout(timeoutMs, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
  }
  return new Promise((resolve) => {
    const socket = createSocket(isIPv6(endpoint.host) ? 'udp6' : 'udp4');
    const id = randomBytes(12);
    const timer = setTimeout(() => done(false), timeoutMs);
    function done(answered: boolean): void {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    }
    socket.on('message', (message) => {
      if (
        message.length >= 20 &&
        message.readUInt32BE(4) === MAGIC_COOKIE &&
        message.subarray(8, 20).equals(id)
      )
        done(true);
    });
    socket.on('error', () => done(false));
    socket.send(bindingRequest(id), endpoint.port, endpoint.host);
  });
}
