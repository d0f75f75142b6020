// The other floor of bench:sip: the same fixed answers as canned-registrar.ts, but on Node's
// sockets with the least WebSocket framing the load generator needs (RFC 6455: the handshake,
// masked client frames, unmasked text frames back), no `ws`. What it costs against the `ws`
// floor is what `ws` itself costs; what is left is Node's socket I/O. A bench reference only:
// it skips what a server owes its peers (UTF-8 checks, fragments, pings, the closing handshake).
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CANNED_CHALLENGE, CANNED_REGISTERED, carriesAuthorization } from './canned-registrar';

/** RFC 6455 1.3: the GUID the handshake's accept key is derived with. */
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** An unmasked, final text frame carrying `payload` (shorter than 64 KiB). */
function textFrame(payload: Buffer): Buffer {
  const header = payload.length < 126 ? 2 : 4;
  const frame = Buffer.allocUnsafe(header + payload.length);
  frame[0] = 0x81;
  if (header === 2) frame[1] = payload.length;
  else {
    frame[1] = 126;
    frame.writeUInt16BE(payload.length, 2);
  }
  payload.copy(frame, header);
  return frame;
}

const challengeFrame = textFrame(Buffer.from(CANNED_CHALLENGE));
const registeredFrame = textFrame(Buffer.from(CANNED_REGISTERED));

/** Reads the client's frames as they come and answers each text frame; a close frame ends it. */
function serveSocket(socket: Socket, head: Buffer): void {
  let pending: Buffer | null = null;
  const onData = (chunk: Buffer): void => {
    const bytes: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
    pending = null;
    let offset = 0;
    while (bytes.length - offset >= 2) {
      const opcode = (bytes[offset] ?? 0) & 0x0f;
      let length = (bytes[offset + 1] ?? 0) & 0x7f;
      let header = 2;
      if (length === 127) {
        socket.destroy(); // no SIP message of the bench is that long
        return;
      }
      if (length === 126) {
        if (bytes.length - offset < 4) break;
        length = bytes.readUInt16BE(offset + 2);
        header = 4;
      }
      const mask = offset + header;
      const start = mask + 4;
      if (bytes.length < start + length) break;
      offset = start + length;
      if (opcode === 0x8) {
        socket.end();
        return;
      }
      if (opcode !== 0x1) continue;
      const payload = Buffer.allocUnsafe(length);
      for (let i = 0; i < length; i++) payload[i] = (bytes[start + i] ?? 0) ^ (bytes[mask + (i & 3)] ?? 0);
      socket.write(carriesAuthorization(payload) ? registeredFrame : challengeFrame);
    }
    if (offset < bytes.length) pending = bytes.subarray(offset);
  };
  socket.setNoDelay(true);
  socket.on('error', () => undefined);
  socket.on('data', onData);
  if (head.length > 0) onData(head);
}

/** Listens on loopback; resolves to the port. */
export function serveCannedRegistrarOnNet(): Promise<number> {
  const server = createServer((_request, response) => response.writeHead(426).end());
  server.on('upgrade', (request, socket: Socket, head: Buffer) => {
    const key = request.headers['sec-websocket-key'];
    if (typeof key !== 'string') {
      socket.destroy();
      return;
    }
    const accept = createHash('sha1')
      .update(key + WEBSOCKET_GUID)
      .digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: sip\r\n\r\n`,
    );
    serveSocket(socket, head);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}
