// The WebSocket server the bench's reference registrars share: `ws` on loopback, path /sip,
// subprotocol sip; each message is answered with the bytes `answer` gives, as a text frame (as
// the edge's socket worker sends: bytes already encoded), or not at all.
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

const TEXT = { binary: false };

/** Listens on loopback; resolves to the port. */
export function serveSipWebSocket(answer: (message: Buffer) => Buffer | null): Promise<number> {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    path: '/sip',
    perMessageDeflate: false,
    handleProtocols: () => 'sip',
  });
  server.on('connection', (socket) => {
    socket.on('message', (data: Buffer) => {
      const reply = answer(data);
      if (reply !== null) socket.send(reply, TEXT);
    });
  });
  return new Promise((resolve) =>
    server.once('listening', () => resolve((server.address() as AddressInfo).port)),
  );
}
