/**
 * How long the edge may take to answer a ping before the connection counts as dead. The edge
 * answers at once; a connection that cannot carry a pong in this time cannot carry a call's
 * signalling either, and taking it for dead costs only a reconnection (calls carry on).
 */
export const PONG_TIMEOUT_MS = 1_000;

/** A timer this much past its time means the page was frozen or busy: the pong may be queued. */
const LATE_MS = 250;

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
 * When the page was frozen or busy past the timeout, a pong already received gets a moment more.
 */
export function pingAnswered(transport: PingableTransport, timeoutMs = PONG_TIMEOUT_MS): Promise<boolean> {
  const socket = transport.ws;
  if (!socket) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const dueAt = performance.now() + timeoutMs;
    let timer: ReturnType<typeof setTimeout>;
    const finish = (answered: boolean) => {
      clearTimeout(timer);
      socket.removeEventListener('message', onMessage);
      resolve(answered);
    };
    const onMessage = (event: Event) => {
      const data = (event as MessageEvent<unknown>).data;
      if (typeof data === 'string' && /^(\r\n)+$/.test(data)) finish(true);
    };
    timer = setTimeout(() => {
      if (performance.now() - dueAt > LATE_MS) timer = setTimeout(() => finish(false), LATE_MS);
      else finish(false);
    }, timeoutMs);
    socket.addEventListener('message', onMessage);
    transport.send('\r\n\r\n').catch(() => finish(false));
  });
}
