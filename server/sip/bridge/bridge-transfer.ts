import { canTransfer } from '../../../contracts/policy/call-admission';
import { normaliseDialled } from '../../../contracts/policy/outbound-dialing';
import { setCallAnswerer } from '../../store/calls-repository';
import type { SipAccount } from '../../store/sip-accounts-repository';
import { reply } from '../edge-context';
import type { DialogSide } from '../dialogs/call-dialog';
import { cseqOf } from '../message/message-fields';
import { parseNameAddr } from '../message/name-addr';
import type { SipRequest } from '../message/sip-message';
import { parseSipUri } from '../message/sip-uri';
import { addressedAccount } from '../proxy/identity';
import { partyOf } from '../proxy/call-parties';
import type { ServerTransaction } from '../transaction/server-transaction';
import type { BridgedCall } from './bridged-call';
import type { BridgeHost } from './bridge-host';
import { TransferLeg } from './transfer-leg';
import { edgeContact, legRequest } from './ua-leg';

/** The sentence a phone shows when it asks for an attended transfer of a customer's call. */
export const ATTENDED_REFUSAL =
  'Attended transfer of an outside call is not supported yet; use blind transfer';
/** The sentence a phone shows when it transfers a customer's call to another phone number. */
export const NUMBER_REFUSAL =
  'Transferring an outside call to a phone number is not supported yet; transfer it to a colleague';
/** How long a transferring phone that waits for the final NOTIFY has to hang up before the edge does. */
const REFERRER_BYE_WAIT_MS = 2_000;

/** Transfers under way, by the call being transferred (one at a time per call). */
const pending = new WeakMap<BridgedCall, BlindTransfer>();
/** What the record's reason says about the transfers a call went through, by the call now carrying it. */
const notes = new WeakMap<BridgedCall, string>();

/**
 * A REFER from the agent's phone in a bridged call (RFC 3515): the profile must allow transfers
 * (403 with the policy's sentence); a Refer-To naming a user or an extension is accepted (202) and
 * the edge itself moves the customer to that user's phones (see TransferLeg), telling the agent's
 * phone how it goes in NOTIFYs with a sipfrag. Attended transfer (Refer-To with Replaces) and a
 * phone number as the target are refused 501 with a sentence.
 */
export async function referInBridge(
  host: BridgeHost,
  call: BridgedCall,
  request: SipRequest,
  transaction: ServerTransaction,
): Promise<void> {
  const { context } = host;
  const agent = call.agent;
  if (!agent || call.dialog.state !== 'answered' || !call.carrier)
    return reply(transaction, 403, 'Only a connected call can be transferred');
  if (pending.has(call) || call.updating)
    return reply(transaction, 491, 'The call is already being transferred or changed');
  const account = await context.accounts.byUsername(agent.username);
  const decision = canTransfer(account?.profile ?? null);
  if (!decision.allowed) return reply(transaction, 403, decision.reason);
  const referTo = parseNameAddr(request.headers.get('refer-to') ?? '');
  const uri = referTo ? parseSipUri(referTo.uri) : null;
  if (!uri?.user) return reply(transaction, 400, 'Say whom to transfer the call to (Refer-To)');
  if ([...uri.headers.keys()].some((name) => name.toLowerCase() === 'replaces'))
    return reply(transaction, 501, ATTENDED_REFUSAL);
  const wanted = decodeURIComponent(uri.user);
  const target = await addressedAccount(context, wanted);
  if (!target) {
    if (normaliseDialled(wanted, context.config.defaultCountryCode))
      return reply(transaction, 501, NUMBER_REFUSAL);
    return reply(transaction, 404, `Nobody has the number or name ${wanted}`);
  }
  if (target.userId === agent.userId) return reply(transaction, 403, 'The call is already yours');
  if (call.ended || pending.has(call)) return reply(transaction, 481, 'The call has ended');
  const transfer = new BlindTransfer(
    host,
    call,
    agent,
    account?.displayName ?? agent.username,
    target,
    request,
  );
  pending.set(call, transfer);
  reply(transaction, 202, 'Accepted');
  await transfer.start();
}

/**
 * The agent's BYE while a transfer of its call is under way or just done: answered here, and the
 * customer's call goes on (true). False: no transfer, the BYE ends the call as usual.
 */
export function referrerLeaves(call: BridgedCall, transaction: ServerTransaction): boolean {
  const transfer = pending.get(call);
  if (!transfer) return false;
  reply(transaction, 200, 'OK');
  transfer.referrerLeft();
  return true;
}

/** The call ends (either side hung up, the server stops): a transfer of it stops too. */
export function abortTransfer(call: BridgedCall): void {
  pending.get(call)?.abort();
}

/** The record's reason for a call that went through transfers: what happened, then how it ended. */
export function withTransferNote(call: BridgedCall, reason: string): string {
  const note = notes.get(call);
  return note ? `${note}; ${reason}` : reason;
}

/** One blind transfer of a bridged call, from the 202 to the last NOTIFY and the agent's leg gone. */
class BlindTransfer {
  /** The agent's phone hung up (sip.js phones do so at the 202): no more NOTIFYs, a failure rings it back. */
  #referrerGone = false;
  #leg: TransferLeg | null = null;
  #succeeded = false;
  #byeTimer: NodeJS.Timeout | null = null;
  readonly #referId: number;

  constructor(
    private readonly host: BridgeHost,
    private readonly call: BridgedCall,
    private readonly referrer: DialogSide,
    private readonly referrerName: string,
    private readonly target: SipAccount,
    refer: SipRequest,
  ) {
    this.#referId = cseqOf(refer)?.seq ?? 1;
  }

  async start(): Promise<void> {
    this.#notify('SIP/2.0 100 Trying', false);
    await this.#ring(this.target, (status, reason) => this.#failed(status, reason));
  }

  /** Rings `account`'s phones with the customer; `failed` when nobody takes it. */
  async #ring(account: SipAccount, failed: (status: number, reason: string) => void): Promise<void> {
    const { context } = this.host;
    const targets = await this.host.ringTargets((userId) => userId === account.userId);
    if (this.call.ended) return;
    if (targets.length === 0) {
      const signedIn = [...context.location.all()].some((b) => b.userId === account.userId);
      return failed(
        480,
        signedIn
          ? `${account.displayName} cannot take another call now`
          : `${account.displayName} is not signed in`,
      );
    }
    const leg = new TransferLeg(this.host, this.call, targets, partyOf(account), {
      ringing: () => {
        if (leg === this.#leg) this.#notify('SIP/2.0 180 Ringing', false);
      },
      connected: (next) => this.#connected(account, next),
      failed,
    });
    this.#leg = leg;
    leg.start();
  }

  #connected(account: SipAccount, next: BridgedCall): void {
    const { host, call } = this;
    this.#leg = null;
    const back = account.userId === this.referrer.userId;
    const before = notes.get(call);
    const note = back
      ? `${this.referrerName} transferred the call to ${this.target.displayName}, who did not take it; it came back to ${this.referrerName}`
      : `${this.referrerName} transferred the call to ${account.displayName}`;
    notes.set(next, before ? `${before}; ${note}` : note);
    host.adopt(call, next);
    host.context.dialogs.setState(next.dialog, 'answered');
    const profile = account.profile;
    call.dialog.record.after((recordId) =>
      setCallAnswerer(host.context.recorder.db, recordId, {
        toUserId: account.userId,
        toName: account.displayName,
        calleeProfileId: profile?.id ?? null,
        calleeProfile: profile?.name ?? null,
      }),
    );
    if (this.#referrerGone) return this.#done();
    this.#succeeded = true;
    this.#notify('SIP/2.0 200 OK', true);
    // RFC 5589: the transferor hangs up after the success NOTIFY; one that does not is hung up.
    this.#byeTimer = setTimeout(() => {
      this.#byeTimer = null;
      const bye = legRequest(host.context, call.browser, 'BYE', {
        headers: [['Reason', 'SIP;cause=200;text="Call transferred"']],
      });
      const connection = call.browser.connection;
      if (bye && connection) {
        try {
          host.context.layer.sendRequest(bye, connection);
        } catch (error) {
          host.context.log.warn('SIP edge: could not hang up a transferring phone', error);
        }
      }
      this.#done();
    }, REFERRER_BYE_WAIT_MS);
  }

  #failed(status: number, reason: string): void {
    this.#leg = null;
    if (this.call.ended) return;
    if (!this.#referrerGone) {
      // The customer never left the agent: the failure is said, the call goes on as it was.
      this.#notify(`SIP/2.0 ${status} ${reason}`, true);
      pending.delete(this.call);
      return;
    }
    // The agent's phone already hung up: the customer rings it back.
    const giveUp = (backReason: string) =>
      this.host.finish(this.call, {
        disposition: 'failed',
        reason: `${this.referrerName} transferred the call to ${this.target.displayName}, who did not take it (${reason}); it could not come back (${backReason})`,
        byeCarrier: 'SIP;cause=480;text="The transfer failed"',
      });
    void (async () => {
      const account = await this.host.context.accounts.byUsername(this.referrer.username);
      if (this.call.ended) return;
      if (!account) return giveUp(`${this.referrerName} no longer exists`);
      await this.#ring(account, (_status, backReason) => giveUp(backReason));
    })().catch((error: unknown) => {
      this.host.context.log.error('SIP edge: a transfer failed', error);
      giveUp('a server error');
    });
  }

  /** The agent's BYE: before the outcome the customer waits on; after it, the agent's leg goes. */
  referrerLeft(): void {
    this.#referrerGone = true;
    if (this.#succeeded) this.#done();
  }

  abort(): void {
    pending.delete(this.call);
    if (this.#byeTimer) clearTimeout(this.#byeTimer);
    this.#byeTimer = null;
    this.#leg?.abort();
    this.#leg = null;
    // A phone that already hung up gets no BYE when the customer does.
    if (this.#referrerGone) this.referrer.connection = null;
  }

  /** The transferred agent's leg is over: its dialog leaves the registry, the record goes on. */
  #done(): void {
    if (this.#byeTimer) clearTimeout(this.#byeTimer);
    this.#byeTimer = null;
    pending.delete(this.call);
    this.host.release(this.call);
  }

  /** A NOTIFY of the refer subscription to the agent's phone (while it is still on the call). */
  #notify(status: string, final: boolean): void {
    if (this.#referrerGone) return;
    const { context } = this.host;
    const leg = this.call.browser;
    const connection = leg.connection;
    const notify = legRequest(context, leg, 'NOTIFY', {
      body: `${status}\r\n`,
      contentType: 'message/sipfrag;version=2.0',
      headers: [
        ['Event', `refer;id=${this.#referId}`],
        ['Subscription-State', final ? 'terminated;reason=noresource' : 'active;expires=60'],
        ...(connection ? [['Contact', edgeContact(context, connection)] as const] : []),
      ],
    });
    if (!notify || !connection) return;
    try {
      context.layer.sendRequest(notify, connection);
    } catch (error) {
      context.log.warn('SIP edge: could not send a transfer NOTIFY', error);
    }
  }
}
