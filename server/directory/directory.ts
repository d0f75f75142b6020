import type { Flag } from '../../contracts/profiles';
import type { RecordingMode } from '../../contracts/recordings';
import type { CallListPrivacy } from '../../contracts/users';
import type { Role } from '../../contracts/roles';
import type { LiveEvent } from '../../contracts/events';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../log';
import type { Db } from '../store/database';
import {
  loadMembershipRecords,
  loadProfileRecords,
  loadUserRecords,
  type ProfileRecord,
  type UserKey,
  type UserRecord,
} from '../store/directory-repository';
import { toSipAccount, type SipAccount } from '../store/sip-accounts-repository';
import type { UserRow } from '../store/users-repository';

export interface DirectoryOptions {
  db: Db;
  /** The server's change events keep the copy current (user, profile and group events). */
  events: EventBus;
  log?: Logger;
  /**
   * A full reload this often, for changes made outside this process (the CLI on a shared
   * PostgreSQL). 0 turns it off.
   */
  refreshMs?: number;
}

/** What a signed-in request knows of its person: the user row and their profile's features. */
export type DirectoryPerson = {
  user: UserRow;
  profile: {
    id: number;
    name: string;
    flags: Flag[];
    bargeGroup: string | null;
    monitorNotice: boolean;
    recording: RecordingMode;
    recordingNotice: boolean;
    recordingRetentionDays: number;
  } | null;
};

interface Dirty {
  allUsers: boolean;
  users: Set<number>;
  profiles: boolean;
  memberships: boolean;
}

/** How long a "nobody has that name" answer is trusted, and how many are kept. */
const NOBODY_MS = 5000;
const MAX_NOBODIES = 10_000;

const everything = (): Dirty => ({ allUsers: true, users: new Set(), profiles: true, memberships: true });

/**
 * Users (with their HA1s), profiles and group memberships in memory, so that REGISTER,
 * INVITE and every API request are answered without a query. Loaded once at start; the
 * server's own change events reload what changed (one user, the profiles, the memberships),
 * and a lookup made while a reload runs waits for it: a change takes effect on the next
 * request, as it did when each request asked the database. With several servers on one
 * PostgreSQL the same events arrive through LISTEN/NOTIFY.
 */
export class Directory {
  readonly #db: Db;
  readonly #log: Logger | undefined;
  readonly #users = new Map<number, UserRecord>();
  readonly #byUsername = new Map<string, UserRecord>();
  readonly #byExtension = new Map<string, UserRecord>();
  readonly #profiles = new Map<number, ProfileRecord>();
  /** Group names per user, sorted. */
  readonly #groups = new Map<number, string[]>();
  /**
   * What `person` answered since the last reload (`#version` counts them): every API request
   * asks, and building it anew was a tenth of GET /api/me in bench:api. Shared by the
   * requests that get it: read it, never change it.
   */
  readonly #people = new Map<number, DirectoryPerson>();
  #peopleVersion = 0;
  #version = 0;
  /** Keys the database said nobody has, and when. */
  readonly #nobody = new Map<string, number>();
  readonly #misses = new Map<string, Promise<UserRecord | undefined>>();
  #dirty: Dirty = everything();
  #running: Promise<void> | null = null;
  #closed = false;
  readonly #unsubscribe: () => void;
  readonly #refresh: ReturnType<typeof setInterval> | null;

  constructor(options: DirectoryOptions) {
    this.#db = options.db;
    this.#log = options.log;
    this.#unsubscribe = options.events.subscribe((event) => this.#heard(event));
    const refreshMs = options.refreshMs ?? 30_000;
    this.#refresh = refreshMs > 0 ? setInterval(() => this.#mark(everything()), refreshMs) : null;
    this.#refresh?.unref();
    this.#running = this.#drain();
  }

  /** Resolves when every change heard so far has been loaded. */
  settled(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  async byUsername(username: string): Promise<SipAccount | null> {
    if (this.#running) await this.#running;
    return this.#account(this.#byUsername.get(username) ?? (await this.#miss({ username })));
  }

  byUsernameNow(username: string): SipAccount | undefined {
    if (this.#running) return undefined;
    const record = this.#byUsername.get(username);
    return record && this.#toAccount(record);
  }

  async byExtension(extension: string): Promise<SipAccount | null> {
    if (this.#running) await this.#running;
    return this.#account(this.#byExtension.get(extension) ?? (await this.#miss({ extension })));
  }

  async byId(id: number): Promise<SipAccount | null> {
    if (this.#running) await this.#running;
    return this.#account(this.#users.get(id) ?? (await this.#miss({ id })));
  }

  /** The user and profile a web session belongs to; undefined once the user is gone. */
  async person(userId: number): Promise<DirectoryPerson | undefined> {
    if (this.#running) await this.#running;
    if (this.#peopleVersion !== this.#version) {
      this.#people.clear();
      this.#peopleVersion = this.#version;
    }
    const known = this.#people.get(userId);
    if (known) return known;
    const record = this.#users.get(userId) ?? (await this.#miss({ id: userId }));
    if (!record) return undefined;
    const profile = record.profileId === null ? undefined : this.#profiles.get(record.profileId);
    const person: DirectoryPerson = {
      user: {
        ...record,
        role: record.role as Role,
        callListPrivacy: record.callListPrivacy as CallListPrivacy,
        profileName: profile?.name ?? null,
        groups: this.#groups.get(userId) ?? [],
      },
      profile: profile
        ? {
            id: profile.id,
            name: profile.name,
            flags: profile.flags as Flag[],
            bargeGroup: profile.bargeGroup,
            monitorNotice: profile.monitorNotice,
            recording: profile.recording as RecordingMode,
            recordingNotice: profile.recordingNotice,
            recordingRetentionDays: profile.recordingRetentionDays,
          }
        : null,
    };
    // Built from the copy as it is now; if a miss reloaded meanwhile, the next call starts over.
    this.#people.set(userId, person);
    return person;
  }

  async isMember(group: string, userId: number): Promise<boolean> {
    if (this.#running) await this.#running;
    return this.#groups.get(userId)?.includes(group) ?? false;
  }

  get size(): number {
    return this.#users.size;
  }

  close(): void {
    this.#closed = true;
    this.#unsubscribe();
    if (this.#refresh) clearInterval(this.#refresh);
  }

  /**
   * A user this copy does not know may have been written by someone else (the CLI, another
   * server): ask the database once, and remember a "nobody" for a few seconds so a flood
   * of unknown names does not become a flood of queries.
   */
  #miss(key: UserKey): Promise<UserRecord | undefined> {
    const name = 'id' in key ? `i:${key.id}` : 'username' in key ? `u:${key.username}` : `e:${key.extension}`;
    const now = Date.now();
    const nobodySince = this.#nobody.get(name);
    if (nobodySince !== undefined && now - nobodySince < NOBODY_MS) return Promise.resolve(undefined);
    let pending = this.#misses.get(name);
    if (!pending) {
      pending = this.#loadOne(key, name).finally(() => this.#misses.delete(name));
      this.#misses.set(name, pending);
    }
    return pending;
  }

  async #loadOne(key: UserKey, name: string): Promise<UserRecord | undefined> {
    const [user] = await loadUserRecords(this.#db, key);
    if (!user) {
      if (this.#nobody.size >= MAX_NOBODIES) this.#nobody.clear();
      this.#nobody.set(name, Date.now());
      return undefined;
    }
    const [memberships, profiles] = await Promise.all([
      loadMembershipRecords(this.#db, user.id),
      user.profileId !== null && !this.#profiles.has(user.profileId) ? loadProfileRecords(this.#db) : null,
    ]);
    this.#version++;
    for (const profile of profiles ?? []) this.#profiles.set(profile.id, profile);
    this.#remove(user.id);
    this.#put(user);
    const names = memberships.map((row) => row.group).sort();
    if (names.length > 0) this.#groups.set(user.id, names);
    else this.#groups.delete(user.id);
    return user;
  }

  #account(record: UserRecord | undefined): SipAccount | null {
    return record ? this.#toAccount(record) : null;
  }

  #toAccount(record: UserRecord): SipAccount {
    return toSipAccount(record, record.profileId === null ? undefined : this.#profiles.get(record.profileId));
  }

  #heard(event: LiveEvent): void {
    const dirty: Dirty = { allUsers: false, users: new Set(), profiles: false, memberships: false };
    if (event.entity === 'user') {
      this.#nobody.clear();
      if (typeof event.id === 'number') dirty.users.add(event.id);
      else dirty.allUsers = true;
    } else if (event.entity === 'profile') dirty.profiles = true;
    else if (event.entity === 'group') dirty.memberships = true;
    else return;
    this.#mark(dirty);
  }

  #mark(change: Dirty): void {
    if (this.#closed) return;
    const dirty = this.#dirty;
    dirty.allUsers ||= change.allUsers;
    dirty.profiles ||= change.profiles;
    dirty.memberships ||= change.memberships;
    for (const id of change.users) dirty.users.add(id);
    this.#running ??= this.#drain();
  }

  async #drain(): Promise<void> {
    try {
      while (!this.#closed) {
        const dirty = this.#dirty;
        if (!dirty.allUsers && dirty.users.size === 0 && !dirty.profiles && !dirty.memberships) break;
        this.#dirty = { allUsers: false, users: new Set(), profiles: false, memberships: false };
        try {
          await this.#load(dirty);
        } catch (error) {
          // The copy stays as it was; the next change or refresh tries again.
          if (!this.#closed) this.#log?.warn('directory: could not reload users and profiles', error);
          break;
        }
      }
    } finally {
      this.#running = null;
    }
  }

  async #load(dirty: Dirty): Promise<void> {
    const db = this.#db;
    const allMemberships = dirty.memberships || dirty.allUsers;
    const some = [...dirty.users];
    const [profiles, users, memberships] = await Promise.all([
      dirty.profiles ? loadProfileRecords(db) : null,
      dirty.allUsers ? loadUserRecords(db) : Promise.all(some.map((id) => loadUserRecords(db, { id }))),
      allMemberships
        ? loadMembershipRecords(db)
        : Promise.all(some.map((id) => loadMembershipRecords(db, id))),
    ]);
    this.#version++;
    if (profiles) {
      this.#profiles.clear();
      for (const profile of profiles) this.#profiles.set(profile.id, profile);
    }
    if (dirty.allUsers) {
      this.#users.clear();
      this.#byUsername.clear();
      this.#byExtension.clear();
    } else for (const id of some) this.#remove(id);
    for (const user of users.flat()) this.#put(user);
    if (allMemberships) this.#groups.clear();
    else for (const id of some) this.#groups.delete(id);
    for (const { userId, group } of memberships.flat()) {
      const names = this.#groups.get(userId);
      if (names) names.push(group);
      else this.#groups.set(userId, [group]);
    }
    for (const names of this.#groups.values()) names.sort();
  }

  #put(user: UserRecord): void {
    this.#users.set(user.id, user);
    this.#byUsername.set(user.username, user);
    this.#byExtension.set(user.extension, user);
  }

  #remove(id: number): void {
    const user = this.#users.get(id);
    if (!user) return;
    this.#users.delete(id);
    if (this.#byUsername.get(user.username) === user) this.#byUsername.delete(user.username);
    if (this.#byExtension.get(user.extension) === user) this.#byExtension.delete(user.extension);
  }
}
