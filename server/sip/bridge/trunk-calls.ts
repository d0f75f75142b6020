import { CallCharging, type ChargedCallPort } from '../../billing/call-charging';
import type { MediaBridge } from '../../media/media-bridge';
import { normaliseDialled } from '../../../contracts/policy/outbound-dialing';
import { setCallTrunk } from '../../store/calls-repository';
import { setCallCharge } from '../../store/credit-repository';
import type { Db } from '../../store/database';
import { reply, type EdgeContext } from '../edge-context';
import type { CallDialog } from '../dialogs/call-dialog';
import { requestUserOf } from '../message/message-fields';
import type { SipRequest } from '../message/sip-message';
import { addressedAccount } from '../proxy/identity';
import type { InviteServerTransaction, ServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import { carriesCredentials } from '../trunks/challenge-answer';
import { ipAuthenticationRefusal } from '../trunks/ip-authentication';
import type { QueueEngine } from '../queues/queue-engine';
import type { NumberSource, TrunkRouter } from '../trunks/trunk-config';
import { abortTransfer, withTransferNote } from './bridge-transfer';
import type { CallEnd, RingTarget } from './bridge-host';
import type { BridgedCall } from './bridged-call';
import type { ExternalNumbers } from './external-ring';
import { ringTargets } from './ring-targets';
import type { CallSetup, TrunkCallHost } from './trunk-call-host';
import { trunkChargePort } from './trunk-charge-port';
import { takeInbound } from './trunk-inbound';
import { routeTrunkInDialog } from './trunk-in-dialog-routing';
import { placeOutbound } from './trunk-outbound';
import { legRequest } from './ua-leg';

export interface TrunkCallsOptions {
  media: MediaBridge;
  /** Where inbound numbers ring; null: every inbound call is answered 404. */
  numbers: NumberSource | null;
  db: Db;
  /** Where a number assigned to a queue sends its callers; null: such calls are refused. */
  queues?: QueueEngine | null;
  /** Charging of priced calls (else one on `db`). */
  charging?: CallCharging;
}

/**
 * Calls over SIP trunks, bridged back-to-back: the agent's browser leg ends at the edge, which
 * places (or takes) the carrier leg as a user agent of its own (its own Call-ID, the trunk's caller
 * ID and number format, the carrier's digest), with media through rtpengine. Each call's browser
 * leg is a CallDialog in the edge's registry, so channel limits, live calls, the operator panel,
 * monitoring and a phone's reconnection treat it as the agent's call with a customer.
 */
export class TrunkCalls implements TrunkCallHost {
  /** Rings a called user's external numbers beside their phones (null: nobody's ring). */
  externals: ExternalNumbers | null = null;
  readonly media: MediaBridge;
  readonly numbers: NumberSource | null;
  /** Priced outbound calls: admitted, charged per increment, ended when credit runs out. */
  readonly charging: CallCharging;
  readonly db: Db;
  readonly queues: QueueEngine | null;
  readonly #byDialog = new Map<CallDialog, BridgedCall>();
  readonly #byCarrierCallId = new Map<string, BridgedCall>();
  readonly #setups = new Map<BridgedCall, CallSetup>();
  readonly #deletes = new Set<Promise<void>>();
  readonly #stopListening: () => void;

  constructor(
    readonly context: EdgeContext,
    options: TrunkCallsOptions,
  ) {
    this.media = options.media;
    this.numbers = options.numbers;
    this.db = options.db;
    this.queues = options.queues ?? null;
    this.charging =
      options.charging ?? new CallCharging({ db: options.db, events: context.events, log: context.log });
    // A browser leg ended by the edge itself (grace period over, the server stopping): the carrier
    // leg and the media go with it.
    this.#stopListening = context.dialogs.onChange((dialog) => {
      if (dialog.state === 'answered') this.charging.answered(dialog.record, this.#chargePort(dialog));
      if (dialog.active) return;
      const call = this.#byDialog.get(dialog);
      if (call && !call.ended)
        this.finish(call, {
          disposition: 'answered',
          reason: 'The agent lost the connection',
          byeCarrier: 'SIP;cause=480;text="The agent lost the connection"',
        });
    });
  }

  trunks(): TrunkRouter | null {
    return this.context.trunks;
  }

  /** Bridged calls not yet ended (tests, shutdown). */
  get size(): number {
    return this.#byDialog.size;
  }

  /**
   * Takes an out-of-dialog INVITE that is a trunk call: from a trunk's address (inbound), or from a
   * phone, browser or desk phone, to a number nobody here has (outbound); refuses one from an
   * unknown address to a number (IP authentication). False: not a trunk call, the proxy routes it.
   */
  async handleInvite(
    request: SipRequest,
    transaction: InviteServerTransaction,
    connection: SipConnection,
  ): Promise<boolean> {
    const { context } = this;
    const trunks = this.trunks();
    if (connection.transport === 'udp' || connection.transport === 'tcp') {
      // A request answering a digest challenge is a phone's (a desk phone on the carrier's
      // network): carriers are known by address or registration, never by credentials.
      const trunk = carriesCredentials(request) ? null : (trunks?.trunkOf(connection) ?? null);
      if (trunk) {
        await takeInbound(this, trunk, request, transaction, connection);
        return true;
      }
      // A desk phone (answering the digest challenge, or registered on this flow) calling a number
      // nobody here has places a trunk call as a browser does; anyone else is judged by address.
      const phone = carriesCredentials(request) || context.location.ofConnection(connection.id).length > 0;
      if (!phone) {
        const refusal = ipAuthenticationRefusal(request, connection, trunks);
        if (!refusal) return false;
        reply(transaction, refusal.status, refusal.reason);
        return true;
      }
    }
    const target = requestUserOf(request);
    const dialled = target === null ? null : normaliseDialled(target, context.config.defaultCountryCode);
    if (!dialled || (await addressedAccount(context, target))) return false;
    await placeOutbound(this, dialled, request, transaction, connection);
    return true;
  }

  /**
   * Takes an in-dialog request (or ACK) of a bridged call: from the agent's phone (its browser
   * leg's Call-ID and tags) or from the carrier (the carrier leg's). False: not a bridged call's.
   */
  handleInDialog(
    request: SipRequest,
    transaction: ServerTransaction | null,
    connection: SipConnection,
  ): boolean {
    return routeTrunkInDialog(
      this,
      {
        callOfDialog: (dialog) => this.#byDialog.get(dialog),
        callOfCarrier: (callId) => this.#byCarrierCallId.get(callId),
      },
      request,
      transaction,
      connection,
    );
  }

  /** A connection went away: calls still being set up on it stop (answered ones wait for the phone's grace). */
  connectionClosed(connection: SipConnection): void {
    for (const setup of [...this.#setups.values()]) setup.connectionClosed(connection);
  }

  /** Ends every bridged call (BYE to both legs, media deleted) before the transports close. */
  async close(): Promise<void> {
    this.#stopListening();
    for (const setup of [...this.#setups.values()]) setup.abort();
    for (const call of [...this.#byDialog.values()])
      this.finish(call, {
        disposition: 'failed',
        reason: 'The server stopped',
        byeCarrier: 'SIP;cause=503;text="The server stopped"',
        byeBrowser: 'SIP;cause=503;text="The server stopped"',
      });
    await Promise.allSettled([...this.#deletes]);
  }

  carrierEstablished(call: BridgedCall): void {
    if (call.carrier && !call.ended) this.#byCarrierCallId.set(call.carrier.callId, call);
  }

  trunkChanged(call: BridgedCall): void {
    const name = call.trunk.name;
    call.dialog.record.after((recordId) => setCallTrunk(this.db, recordId, name));
  }

  byeCarrier(call: BridgedCall, reason: string): void {
    const carrier = call.carrier;
    if (!carrier) return;
    const bye = legRequest(this.context, carrier, 'BYE', { headers: [['Reason', reason]] });
    if (!bye) return;
    try {
      this.context.layer.sendRequest(bye, carrier.connection);
    } catch (error) {
      this.context.log.warn('SIP edge: could not send BYE to a trunk', error);
    }
  }

  finish(call: BridgedCall, end: CallEnd): void {
    if (call.ended) return;
    call.ended = true;
    abortTransfer(call);
    call.stopRepeating?.();
    call.stopRepeating = null;
    call.stopRepeatingToAgent?.();
    call.stopRepeatingToAgent = null;
    const { context } = this;
    const carrier = call.carrier;
    if (end.byeCarrier && carrier && this.#byCarrierCallId.get(carrier.callId) === call)
      this.byeCarrier(call, end.byeCarrier);
    const browserUp =
      call.direction === 'inbound' ? call.dialog.callee !== null : call.dialog.state === 'answered';
    const connection = call.browser.connection;
    if (end.byeBrowser && browserUp && connection) {
      const bye = legRequest(context, call.browser, 'BYE', { headers: [['Reason', end.byeBrowser]] });
      if (bye) {
        try {
          context.layer.sendRequest(bye, connection);
        } catch (error) {
          context.log.warn('SIP edge: could not send BYE to a phone', error);
        }
      }
    }
    this.#byDialog.delete(call.dialog);
    if (carrier && this.#byCarrierCallId.get(carrier.callId) === call)
      this.#byCarrierCallId.delete(carrier.callId);
    this.#setups.delete(call);
    context.dialogs.end(call.dialog, end.disposition, withTransferNote(call, end.reason));
    this.deleteMedia(call.mediaId);
    for (const spare of call.spareMediaIds) this.deleteMedia(spare);
    call.spareMediaIds.clear();
    const { record } = call.dialog;
    void this.charging
      .ended(record)
      .then((charge) => charge && record.after((id) => setCallCharge(this.db, id, charge)))
      .catch((error: unknown) => context.log.error('SIP edge: could not settle a call charge', error));
  }

  /** How charging ends a call or tells the agent's phone, on whichever call has the record now. */
  #chargePort(dialog: CallDialog): ChargedCallPort {
    return trunkChargePort(this, () =>
      [...this.#byDialog.values()].find((c) => c.dialog.record === dialog.record && !c.ended),
    );
  }

  adopt(old: BridgedCall, next: BridgedCall): void {
    old.ended = true;
    next.stopRepeating = old.stopRepeating;
    old.stopRepeating = null;
    old.stopRepeatingToAgent?.();
    old.stopRepeatingToAgent = null;
    this.#setups.delete(old);
    this.#byDialog.set(next.dialog, next);
    if (next.carrier) this.#byCarrierCallId.set(next.carrier.callId, next);
    this.deleteMedia(old.mediaId);
  }

  release(old: BridgedCall): void {
    if (this.#byDialog.get(old.dialog) === old) this.#byDialog.delete(old.dialog);
    this.context.dialogs.handOver(old.dialog);
  }

  deleteMedia(mediaId: string): void {
    const deleted = this.media.delete(mediaId);
    this.#deletes.add(deleted);
    void deleted.finally(() => this.#deletes.delete(deleted));
  }

  /** Resolves when every rtpengine delete sent so far has been answered (tests check `list()` after). */
  async idle(): Promise<void> {
    while (this.#deletes.size > 0) await Promise.allSettled([...this.#deletes]);
  }

  register(call: BridgedCall, setup: CallSetup): void {
    this.#byDialog.set(call.dialog, call);
    this.#setups.set(call, setup);
  }

  handOff(call: BridgedCall): true {
    call.ended = true;
    this.#byDialog.delete(call.dialog);
    this.#setups.delete(call);
    this.deleteMedia(call.mediaId);
    for (const spare of call.spareMediaIds) this.deleteMedia(spare);
    call.spareMediaIds.clear();
    return true;
  }

  ringTargets(wanted: (userId: number) => boolean | Promise<boolean>): Promise<RingTarget[]> {
    return ringTargets(this.context, wanted);
  }
}
