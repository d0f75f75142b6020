/**
 * How long the edge may take to answer a ping before the connection counts as dead. The edge
 * answers at once; a connection that cannot carry a pong in this time cannot carry a call's
 * signalling either.
 */
export const PONG_TIMEOUT_MS = 2_500;

/** What a ping needs of sip.js's WebSocket transport: sending, and its socket's messages. */
export type PingableTransport = {
  send(message: string): Promise<void>;
  readonly ws?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | undefined;
};

/**
 * Sends an RFC 5626 keep-alive ping (a double CRLF) on the SIP connection and resolves true when
 * the pong (a lone CRLF) comes back within `timeoutMs`, false otherwise. A connection whose
 * network went away without a word (the laptop moved to another network) is found this way: the
 * browser keeps such a WebSocket open for minutes, and JavaScript cannot send WebSocket pings.
 */
export function pingAnswered(transport: PingableTransport, timeoutMs = PONG_TIMEOUT_MS): Promise<boolean> {
  const socket = transport.ws;
  if (!socket) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const finish = (answered: boolean) => {
      clearTimeout(timer);
      socket.removeEventListener('message', onMessage);
      resolve(answered);
    };
    const onMessage = (event: Event) => {
      const data = (event as MessageEvent<unknown>).data;
      if (typeof data === 'string' && /^(\r\n)+$/.test(data)) finish(true);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.addEventListener('message', onMessage);
    transport.send('\r\n\r\n').catch(() => finish(false));
  });
}
