import { eq, sql } from 'drizzle-orm';
import type { EventBus } from '../events/event-bus';
import type { RateTerms } from '../../contracts/policy/call-charges';
import { changeAccountBalance, changeProfileCredit } from '../store/credit-repository';
import type { Db, Tx } from '../store/database';
import { callCharges, profileCredit, profiles } from '../store/schema';

/** A priced call as the ledger books it: whose credit pays, and the rate as it was at the start. */
export interface ChargedCall {
  readonly callId: string;
  readonly profileId: number;
  readonly number: string;
  readonly rate: RateTerms;
  readonly currency: string;
}

export type ChargeOutcome = { ok: true; credit: number } | { ok: false; credit: number };

/**
 * Charges priced calls to their profile's credit. Each charge is one transaction: the credit
 * goes down only if it covers the amount (`credit - x where credit >= x`, which the row lock
 * makes safe against any other charge or reallocation), and the call's charge goes up by the
 * same amount in the same transaction. So credit held plus charges booked always add up, and
 * no cent is lost or counted twice, however many calls end at once.
 */
export class CreditLedger {
  readonly #lastEvent = new Map<number, number>();

  constructor(
    private readonly db: Db,
    private readonly events?: EventBus,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Takes `amount` (minor units) for `billedSeconds` of the call, all or nothing. Refused (ok
   * false) when the profile's credit does not cover it; nothing is written then.
   */
  async charge(call: ChargedCall, amount: number, billedSeconds: number): Promise<ChargeOutcome> {
    const outcome = await this.db.transaction(async (tx) => {
      const credit = await changeProfileCredit(tx, call.profileId, -amount);
      if (credit === null) return { ok: false as const, credit: await creditForUpdate(tx, call.profileId) };
      await book(tx, call, amount, billedSeconds);
      return { ok: true as const, credit };
    });
    if (outcome.ok && amount > 0) this.#changed(call.profileId);
    return outcome;
  }

  /**
   * The call ended: its charge is brought to `total` (the price of the seconds it lasted). A
   * shortfall is taken from the credit as far as it goes (never below zero); an overcharge is
   * given back to the profile, or to the account's balance if the profile is gone. Returns the
   * call's charge as booked.
   */
  async settle(call: ChargedCall, total: number, billedSeconds: number): Promise<number> {
    const booked = await this.db.transaction(async (tx) => {
      const [row] = await tx
        .select({ amount: callCharges.amountMinor })
        .from(callCharges)
        .where(eq(callCharges.callId, call.callId))
        .for('update');
      const charged = Number(row?.amount ?? 0);
      let delta = total - charged;
      if (!row && delta <= 0) return 0;
      if (delta > 0) {
        delta = Math.min(delta, await creditForUpdate(tx, call.profileId));
        if (delta > 0) await changeProfileCredit(tx, call.profileId, -delta);
        if (!row && delta === 0) return 0;
      } else if (delta < 0) {
        const [profile] = await tx
          .select({ id: profiles.id })
          .from(profiles)
          .where(eq(profiles.id, call.profileId));
        if (profile) await changeProfileCredit(tx, call.profileId, -delta);
        else await changeAccountBalance(tx, -delta);
      }
      await book(tx, call, delta, billedSeconds, true);
      return charged + delta;
    });
    this.#changed(call.profileId, true);
    return booked;
  }

  /** At most one credit event a second per profile while calls are charged; always one at the end. */
  #changed(profileId: number, always = false): void {
    const now = this.now();
    if (!always && now - (this.#lastEvent.get(profileId) ?? 0) < 1000) return;
    this.#lastEvent.set(profileId, now);
    this.events?.publish({ entity: 'credit', id: profileId });
  }
}

async function creditForUpdate(tx: Tx, profileId: number): Promise<number> {
  const [row] = await tx
    .select({ credit: profileCredit.creditMinor })
    .from(profileCredit)
    .where(eq(profileCredit.profileId, profileId))
    .for('update');
  return Number(row?.credit ?? 0);
}

/** Adds `amount` to the call's booked charge (the row made with the rate at the first charge). */
async function book(tx: Tx, call: ChargedCall, amount: number, billedSeconds: number, ended = false) {
  const { rate } = call;
  await tx
    .insert(callCharges)
    .values({
      callId: call.callId,
      profileId: call.profileId,
      number: call.number,
      prefix: rate.prefix,
      priceMicros: rate.priceMicros,
      firstIncrement: rate.firstIncrement,
      nextIncrement: rate.nextIncrement,
      currency: call.currency,
      amountMinor: amount,
      billedSeconds,
      endedAt: ended ? new Date() : null,
    })
    .onConflictDoUpdate({
      target: callCharges.callId,
      set: {
        amountMinor: sql`${callCharges.amountMinor} + ${amount}`,
        billedSeconds: ended ? billedSeconds : sql`greatest(${callCharges.billedSeconds}, ${billedSeconds})`,
        ...(ended ? { endedAt: new Date() } : {}),
      },
    });
}
