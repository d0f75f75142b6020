// What the edge and its socket workers say to each other. A socket worker owns the TCP sockets
// of SIP WebSockets the edge handed it: the WebSocket handshake, framing, pings and the two
// system calls per message run there; the SIP work stays in the edge. Sockets are handed over
// on the IPC channel of `child_process.fork` (JSON, with the handle); everything about a
// connection after that crosses a data pipe of its own in frames (frame-codec.ts), batched
// (frame-batch.ts): a write per few frames, and one for what is left at the end of a turn of
// either event loop.
import type { IncomingHttpHeaders } from 'node:http';

/** How the edge sets a worker up (its argv[2], JSON). */
export interface WorkerSettings {
  /** Largest WebSocket message; a larger one closes that connection (1009). */
  maxPayloadBytes: number;
  /** Keep-alive pings every third of it; silent through two of them: terminated. 0: none. */
  keepAliveMs: number;
  /** Unsent bytes one connection may pile up before it is terminated. */
  maxBufferedBytes: number;
}

/** The edge hands a socket over (sent with the socket's handle): finish this upgrade. */
export interface Adopt {
  kind: 'adopt';
  slot: number;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Bytes read past the HTTP request (base64), usually none. */
  head: string;
}

/** What the edge asks of one connection, a frame's kind on the data pipe. */
export const Out = {
  /** Send the payload as a text frame. */
  Text: 0,
  /** Send the payload as a binary frame. */
  Binary: 1,
  /** Close it normally (1000). */
  Close: 2,
  /** Close it for a policy violation (1008); the payload is the reason. */
  CloseForPolicy: 3,
} as const;

export type ToWorker = Adopt | { kind: 'close-all' };

/** What a worker reports of one connection, a frame's kind on the data pipe. */
export const In = {
  /** The handshake is done; messages may flow. */
  Opened: 0,
  /** A text message (its payload). */
  Text: 1,
  /** A binary message (its payload). */
  Binary: 2,
  /** Gone, whether it had opened or not. */
  Closed: 3,
  /** A socket error (its message), for the edge's log. */
  Error: 4,
} as const;

export type FromWorker = { kind: 'ready' };

/** The data pipe's file descriptor in the worker (fork's stdio: ignore, inherit, inherit, ipc, pipe). */
export const DATA_FD = 4;
