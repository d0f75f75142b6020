import type { SipParseError } from '../message/parse-message';
import type { SipMessage } from '../message/sip-message';
import type {
  ConnectionListener,
  MalformedListener,
  MessageListener,
  SipConnection,
  SipTransport,
} from './transport';

/**
 * The listeners every transport delivers to (WebSocket, UDP, TCP): a listener that throws is
 * reported and never keeps the others, or the transport, from going on.
 */
export class TransportListeners {
  readonly #messages = new Set<MessageListener>();
  readonly #connections = new Set<ConnectionListener>();
  readonly #malformed = new Set<MalformedListener>();

  constructor(private readonly onError: (error: unknown, connection: SipConnection | null) => void) {}

  /** The subscribing half of SipTransport, for the transport to spread into what it returns. */
  readonly subscriptions: Pick<SipTransport, 'onMessage' | 'onConnection' | 'onMalformed'> = {
    onMessage: (listener) => this.#add(this.#messages, listener),
    onConnection: (listener) => this.#add(this.#connections, listener),
    onMalformed: (listener) => this.#add(this.#malformed, listener),
  };

  message(message: SipMessage, connection: SipConnection): void {
    this.#emit(this.#messages, connection, message, connection);
  }

  connection(connection: SipConnection): void {
    this.#emit(this.#connections, connection, connection);
  }

  malformed(error: SipParseError, connection: SipConnection): void {
    this.#emit(this.#malformed, connection, error, connection);
  }

  #add<L>(set: Set<L>, listener: L): () => void {
    set.add(listener);
    return () => set.delete(listener);
  }

  #emit<A extends unknown[]>(
    listeners: Set<(...args: A) => void>,
    connection: SipConnection,
    ...args: A
  ): void {
    for (const listener of listeners) {
      try {
        listener(...args);
      } catch (error) {
        this.onError(error, connection);
      }
    }
  }
}
