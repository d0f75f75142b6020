import type { Logger } from '../log';
import type { Db } from '../store/database';
import { takeExpiredRegistrations, type KamailioRegistration } from './kamailio-location';

/**
 * Kamailio 5.6 tells nobody when a registration runs out (db_mode 3 has no expiry callback the
 * cfg can hook), so each server watches the registrations it read: when the next one is due it
 * takes the expired rows out and has them announced as the registrar's `registration` event.
 * Every server sweeps; the delete answers each row to one of them.
 */
export class RegistrationExpiry {
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: {
      db: Db;
      log: Logger;
      /** Reads again and announces these addresses' registrations as changed. */
      announce: (aors: string[]) => Promise<void>;
      /** Reads again (someone else took the expired rows; the read drops them all the same). */
      reread: () => Promise<void>;
    },
  ) {}

  /** After each read: the sweep waits for the first of these to run out (none: no timer). */
  watch(registrations: KamailioRegistration[]): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (registrations.length === 0) return;
    const due = Math.min(...registrations.map((r) => r.expiresAtMs));
    // A little past the expiry, so the database's clock has passed it too.
    this.#timer = setTimeout(() => void this.#sweep(), Math.max(0, due - Date.now()) + 250);
    this.#timer.unref();
  }

  async #sweep(): Promise<void> {
    this.#timer = null;
    try {
      const expired = await takeExpiredRegistrations(this.options.db);
      await (expired.length > 0 ? this.options.announce(expired) : this.options.reread());
    } catch (error) {
      this.options.log.error('Kamailio: could not sweep expired registrations', error);
    }
  }
}
