import type { LiveEvent } from '../../contracts/events';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../log';
import type { DeviceLookup } from '../sip/auth/device-lookup';
import type { Db } from '../store/database';
import {
  loadDeviceRecords,
  type DeviceCredentialRecord,
  type ExternalNumberRecord,
} from '../store/devices-repository';

/**
 * Every user's desk phones (with their HA1s) and external numbers in memory, so a REGISTER or an
 * INVITE never waits for a query. Reloaded whole on `device` and `user` events (a deleted user's
 * devices go with them); a lookup made while a reload runs waits for it.
 */
export class DeviceDirectory implements DeviceLookup {
  readonly #db: Db;
  readonly #log: Logger | undefined;
  #byUsername = new Map<string, DeviceCredentialRecord>();
  #byId = new Map<number, DeviceCredentialRecord>();
  #numbers = new Map<number, ExternalNumberRecord[]>();
  #running: Promise<void> | null = null;
  #again = false;
  #closed = false;
  readonly #unsubscribe: () => void;

  constructor(options: { db: Db; events: EventBus; log?: Logger }) {
    this.#db = options.db;
    this.#log = options.log;
    this.#unsubscribe = options.events.subscribe((event) => this.#heard(event));
    this.#reload();
  }

  /** Resolves when every change heard so far has been loaded. */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async phoneByUsername(sipUsername: string): Promise<DeviceCredentialRecord | null> {
    await this.settled();
    return this.#byUsername.get(sipUsername) ?? null;
  }

  async phoneById(id: number): Promise<DeviceCredentialRecord | null> {
    await this.settled();
    return this.#byId.get(id) ?? null;
  }

  async numbersOf(userId: number): Promise<ExternalNumberRecord[]> {
    await this.settled();
    return this.#numbers.get(userId) ?? [];
  }

  close(): void {
    this.#closed = true;
    this.#unsubscribe();
  }

  #heard(event: LiveEvent): void {
    if (event.entity === 'device' || event.entity === 'user') this.#reload();
  }

  #reload(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#load().finally(() => {
      this.#running = null;
      if (this.#again) {
        this.#again = false;
        this.#reload();
      }
    });
  }

  async #load(): Promise<void> {
    try {
      const { phones, numbers } = await loadDeviceRecords(this.#db);
      this.#byUsername = new Map(phones.map((phone) => [phone.sipUsername, phone]));
      this.#byId = new Map(phones.map((phone) => [phone.id, phone]));
      const byUser = new Map<number, ExternalNumberRecord[]>();
      for (const number of numbers) byUser.set(number.userId, [...(byUser.get(number.userId) ?? []), number]);
      this.#numbers = byUser;
    } catch (error) {
      // The copy stays as it was; the next change tries again.
      if (!this.#closed) this.#log?.warn('devices: could not reload the devices', error);
    }
  }
}
