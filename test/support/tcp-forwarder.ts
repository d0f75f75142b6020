import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

/** A TCP forwarder standing for one SIP edge: closing it drops every connection through it. */
export type Forwarder = { port: number; close(): Promise<void> };

/** Forwards each connection on a loopback port of its own to `targetPort` on loopback. */
export async function forwardTo(targetPort: number): Promise<Forwarder> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = createConnection(targetPort, '127.0.0.1');
    sockets.add(inbound).add(outbound);
    for (const socket of [inbound, outbound]) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The forwarder has no port.');
  return {
    port: address.port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
