import type { SipParseError } from '../message/parse-message';
import type { SipMessage } from '../message/sip-message';

export type TransportName = 'ws' | 'wss' | 'udp' | 'tcp' | 'tls';

/** One peer we exchange SIP with: a WebSocket, a TCP connection, or a UDP remote address. */
export interface SipConnection {
  readonly id: string;
  readonly transport: TransportName;
  /** Reliable transports get no retransmissions and zero-length wait timers (RFC 3261 17). */
  readonly reliable: boolean;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /**
   * The address and port the peer reaches us at on this connection (UDP and TCP), written in
   * the edge's Via and Record-Route toward it unless SIP_ADVERTISED_HOST says otherwise.
   */
  readonly localAddress?: string;
  readonly localPort?: number;
  readonly closed: boolean;
  /**
   * Whether a request on it passed digest authentication (a REGISTER, or a request answering a
   * challenge). Until then the pre-authentication limits apply to it.
   */
  readonly authenticated: boolean;
  markAuthenticated(): void;
  /**
   * Queues one whole message: text, or bytes when its body is binary (see encodeMessage);
   * false when it cannot be sent (the connection is gone).
   */
  send(message: string | Buffer): boolean;
  /** Closes it; with a reason, as a policy violation the peer is told (WebSocket 1008). */
  close(reason?: string): void;
  /** Returns a function that removes the listener. */
  onClose(listener: () => void): () => void;
}

export type MessageListener = (message: SipMessage, connection: SipConnection) => void;
export type MalformedListener = (error: SipParseError, connection: SipConnection) => void;
export type ConnectionListener = (connection: SipConnection) => void;

/** Delivers parsed messages with the connection they came on. Listeners never throw into it. */
export interface SipTransport {
  onMessage(listener: MessageListener): () => void;
  onConnection(listener: ConnectionListener): () => void;
  /** A message that could not be parsed (already answered with 400 when possible). */
  onMalformed(listener: MalformedListener): () => void;
}
