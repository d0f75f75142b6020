import { currencyDigits } from '../../contracts/money';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../log';
import {
  billedSeconds,
  callPrice,
  canAffordFirstIncrement,
  CREDIT_RAN_OUT,
  creditRunningOutNotice,
  incrementsAffordable,
  priceDestination,
  priceOf,
  type RateTerms,
} from '../../contracts/policy/call-charges';
import { profileCreditOf, readAccount } from '../store/credit-repository';
import type { Db } from '../store/database';
import { hasRates, rateForNumber } from '../store/rates-repository';
import { CreditLedger, type ChargedCall } from './credit-ledger';

/** What the edge does for a charged call: end it when credit runs out, tell the agent's phone a sentence. */
export interface ChargedCallPort {
  /** Ends the call (BYE to both legs with the sentence as reason). */
  endForCredit(sentence: string): void;
  /** Shows a sentence on the agent's phone (SIP INFO) while the call goes on. */
  notify(sentence: string): void;
}

/** Whether a trunk call may start, and at what rate (null: the rate table is empty, the call is free). */
export type Admission =
  | { allowed: true; rate: (RateTerms & { currency: string }) | null }
  | { allowed: false; status: 402 | 403; reason: string };

/** How long before credit runs out the agent's phone is told. */
export const NOTICE_BEFORE_MS = 30_000;

/**
 * Charging of priced trunk calls at the edge: admission (a number the rate table does not price
 * is refused 403; credit that cannot pay the first increment 402), then each running call
 * charged per increment as it begins, one ledger transaction each, and ended when the credit
 * cannot pay the next, with a notice to the phone 30 s before.
 */
export class CallCharging {
  readonly ledger: CreditLedger;
  readonly #sessions = new Map<object, ChargeSession>();
  readonly #reserved = new Map<object, ChargedCall>();
  readonly #db: Db;
  readonly #log: Logger;
  readonly #now: () => number;

  constructor(options: { db: Db; events?: EventBus; log: Logger; now?: () => number }) {
    this.#db = options.db;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
    this.ledger = new CreditLedger(options.db, options.events, this.#now);
  }

  /** Before an outbound trunk call to `e164` by a user of `profileId`. */
  async admit(profileId: number | null, e164: string): Promise<Admission> {
    if (!(await hasRates(this.#db))) return { allowed: true, rate: null };
    const rate = await rateForNumber(this.#db, e164);
    const pricing = priceDestination(rate ? [rate] : [], e164);
    if (pricing.kind !== 'priced') {
      const reason =
        pricing.kind === 'unpriced'
          ? pricing.reason
          : `Calls to ${e164} are not priced; ask your administrator to add a rate`;
      return { allowed: false, status: 403, reason };
    }
    if (profileId === null)
      return {
        allowed: false,
        status: 403,
        reason: 'You have no SIP profile; ask an administrator to give you one',
      };
    const { currency } = await readAccount(this.#db);
    const credit = await profileCreditOf(this.#db, profileId);
    const affordable = canAffordFirstIncrement(
      pricing.rate,
      e164,
      credit,
      currency,
      currencyDigits(currency),
    );
    if (!affordable.allowed) return { allowed: false, status: 402, reason: affordable.reason };
    return { allowed: true, rate: { ...pricing.rate, currency } };
  }

  /** A priced call was admitted: it is charged once answered (`key`: what the edge knows it by). */
  reserve(key: object, call: ChargedCall): void {
    this.#reserved.set(key, call);
  }

  /**
   * The call was answered: its first increment is charged now, the next ones as they begin.
   * Nothing happens for a call that was not reserved (free, or between users) or is charged already.
   */
  answered(key: object, port: ChargedCallPort): void {
    const call = this.#reserved.get(key);
    if (!call || this.#sessions.has(key)) return;
    this.#reserved.delete(key);
    const session = new ChargeSession(this.ledger, call, port, this.#db, this.#log, this.#now);
    this.#sessions.set(key, session);
    session.start();
  }

  /**
   * The call ended: its charge is settled to the price of the seconds it lasted. Resolves with
   * the amount (minor units) and currency, or null when it was never charged.
   */
  async ended(key: object): Promise<{ amountMinor: number; currency: string } | null> {
    this.#reserved.delete(key);
    const session = this.#sessions.get(key);
    if (!session) return null;
    this.#sessions.delete(key);
    return session.end();
  }

  /** Calls being charged now (tests). */
  get size(): number {
    return this.#sessions.size;
  }
}

/** One answered priced call: its charges in order, its timers. */
class ChargeSession {
  readonly #digits: number;
  #answeredAt = 0;
  /** Seconds paid for so far (whole increments from the answer). */
  #billed = 0;
  #chain: Promise<unknown> = Promise.resolve();
  #tick: NodeJS.Timeout | null = null;
  #noticeTimer: NodeJS.Timeout | null = null;
  #noticed = false;
  #over = false;

  constructor(
    private readonly ledger: CreditLedger,
    private readonly call: ChargedCall,
    private readonly port: ChargedCallPort,
    private readonly db: Db,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {
    this.#digits = currencyDigits(call.currency);
  }

  start(): void {
    this.#answeredAt = this.now();
    this.#charge(this.call.rate.firstIncrement);
  }

  async end(): Promise<{ amountMinor: number; currency: string }> {
    this.#over = true;
    this.#clearTimers();
    const seconds = Math.max(0, (this.now() - this.#answeredAt) / 1000);
    const { rate } = this.call;
    const settled = this.#chain.then(() =>
      this.ledger.settle(this.call, callPrice(rate, seconds, this.#digits), billedSeconds(rate, seconds)),
    );
    this.#chain = settled;
    return { amountMinor: await settled, currency: this.call.currency };
  }

  /** Pays for billing up to `billed` seconds, then waits for the next increment to begin. */
  #charge(billed: number): void {
    const { rate } = this.call;
    const amount = priceOf(rate, billed, this.#digits) - priceOf(rate, this.#billed, this.#digits);
    this.#chain = this.#chain
      .then(async () => {
        if (this.#over) return;
        const outcome = await this.ledger.charge(this.call, amount, billed);
        if (this.#over) return;
        if (!outcome.ok) {
          this.#over = true;
          this.#clearTimers();
          this.port.endForCredit(CREDIT_RAN_OUT);
          return;
        }
        this.#billed = billed;
        this.#schedule(outcome.credit);
      })
      .catch((error: unknown) => {
        this.log.error(`Credit: could not charge call ${this.call.callId}`, error);
        if (this.#over) return;
        // A charge that cannot be written is not given for free: the call ends.
        this.#over = true;
        this.#clearTimers();
        this.port.endForCredit('The call could not be charged because of a server error, so it was ended');
      });
  }

  #schedule(credit: number): void {
    const { rate } = this.call;
    const boundary = this.#answeredAt + this.#billed * 1000;
    this.#tick = setTimeout(
      () => this.#charge(this.#billed + rate.nextIncrement),
      Math.max(0, boundary - this.now()),
    );
    this.#planNotice(credit);
  }

  /** When the credit will not pay the next increment, the phone is told 30 s before. */
  #planNotice(credit: number): void {
    if (this.#noticed) return;
    if (this.#noticeTimer) clearTimeout(this.#noticeTimer);
    this.#noticeTimer = null;
    const { rate } = this.call;
    const more = incrementsAffordable(rate, this.#billed, credit, this.#digits);
    const endsAt = this.#answeredAt + (this.#billed + more * rate.nextIncrement) * 1000;
    const wait = endsAt - NOTICE_BEFORE_MS - this.now();
    if (wait > 2_147_000_000) return;
    this.#noticeTimer = setTimeout(
      () => {
        this.#noticeTimer = null;
        if (this.#over) return;
        // Credit may have been allocated meanwhile: look again before saying anything.
        void profileCreditOf(this.db, this.call.profileId)
          .then((now) => {
            if (this.#over) return;
            const still = incrementsAffordable(rate, this.#billed, now, this.#digits);
            const at = this.#answeredAt + (this.#billed + still * rate.nextIncrement) * 1000;
            if (at - this.now() > NOTICE_BEFORE_MS + 1000) return this.#planNotice(now);
            this.#noticed = true;
            this.port.notify(creditRunningOutNotice((at - this.now()) / 1000));
          })
          .catch((error: unknown) => this.log.warn("Credit: could not read a profile's credit", error));
      },
      Math.max(0, wait),
    );
  }

  #clearTimers(): void {
    if (this.#tick) clearTimeout(this.#tick);
    if (this.#noticeTimer) clearTimeout(this.#noticeTimer);
    this.#tick = null;
    this.#noticeTimer = null;
  }
}
