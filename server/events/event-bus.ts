import type { LiveEvent } from '../../contracts/events';

export type Listener = (event: LiveEvent) => void;

/** Where a server's own events also go: other servers on the same database (see pg-event-bridge.ts). */
export type Relay = (events: readonly LiveEvent[]) => void;

/**
 * Fans live changes out to every open `/api/events` stream and to the in-memory copies
 * (directory, sessions) they keep current. With several servers on one PostgreSQL, a relay
 * sends what is published here to the others, and what they send arrives through `deliver`.
 */
export class EventBus {
  private readonly listeners = new Set<Listener>();
  private readonly relays = new Set<Relay>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Also hands every event published from now on to `relay`; returns a function that stops it. */
  relayTo(relay: Relay): () => void {
    this.relays.add(relay);
    return () => this.relays.delete(relay);
  }

  /** A change made here: this process's listeners hear it, and so do other servers through the relays. */
  publish(...events: LiveEvent[]): void {
    this.deliver(...events);
    if (events.length === 0) return;
    for (const relay of this.relays) {
      try {
        relay(events);
      } catch {
        // A relay reports its own failures; the change is made here all the same.
      }
    }
  }

  /** A change another server made: this process's listeners only (it is not sent back out). */
  deliver(...events: LiveEvent[]): void {
    for (const event of events)
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch {
          // A broken stream must not keep the others from hearing about the change.
        }
      }
  }

  get size(): number {
    return this.listeners.size;
  }
}
