import type { SipConnection } from '../transport/transport';

/**
 * `connection` as a trunk link's own transactions see it: once `open()` turns false (the link
 * closed) sending fails, so a keep-alive or REGISTER still retransmitting over UDP ends there
 * instead of writing into the edge's closed socket.
 */
export function guardedConnection(connection: SipConnection, open: () => boolean): SipConnection {
  return {
    id: connection.id,
    transport: connection.transport,
    reliable: connection.reliable,
    remoteAddress: connection.remoteAddress,
    remotePort: connection.remotePort,
    localAddress: connection.localAddress,
    localPort: connection.localPort,
    get closed() {
      return connection.closed || !open();
    },
    get authenticated() {
      return connection.authenticated;
    },
    markAuthenticated: () => connection.markAuthenticated(),
    send: (message) => open() && connection.send(message),
    close: (reason) => connection.close(reason),
    onClose: (listener) => connection.onClose(listener),
  };
}
