import type { LiveEvent } from '../../contracts/events';

export type Listener = (event: LiveEvent) => void;

/** Fans live changes out to every open `/api/events` stream. */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(...events: LiveEvent[]): void {
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
