import { randomUUID } from 'node:crypto';
import type { CallCharging } from '../../billing/call-charging';
import type { MediaBridge, MediaSide } from '../../media/media-bridge';
import type { ExternalNumberRecord } from '../../store/devices-repository';
import type { Db } from '../../store/database';
import type { SipAccount } from '../../store/sip-accounts-repository';
import type { DeviceLookup } from '../auth/device-lookup';
import type { EdgeContext } from '../edge-context';
import type { CallDialog } from '../dialogs/call-dialog';
import type { CallRecordHandle } from '../records/call-recorder';
import { buildResponse } from '../message/build-response';
import { generateTag } from '../message/identifiers';
import type { SipRequest } from '../message/sip-message';
import { ANSWERED_ELSEWHERE } from '../proxy/call-outcome';
import type { InviteServerTransaction, ServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import type { TrunkConfig } from '../trunks/trunk-config';
import { CarrierLeg, repeatUntilAck } from './bridged-call';
import { EXTERNAL_TAG, ExternalBridge, type ExternalEnd } from './external-bridge';
import { chargeExternal, externalRefusal, settleExternal, startExternalRecord } from './external-charge';
import { ExternalLeg } from './external-leg';
import { mediaSentence } from './outbound-call';
import { edgeContact, remoteTargetOf, textBody, withTag } from './ua-leg';

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE';

/** The call that rings a user's phones, as its external numbers need it. */
export interface ExternalRingHost {
  /**
   * A mobile answered first: the host stops its phones (CANCEL, "Call completed elsewhere") and
   * gives the caller no final answer of its own; false when the call is no longer to be had.
   */
  takeOver(): boolean;
  /** No external number rings any more (none could, or none answered): the host decides alone. */
  externalsOver(): void;
}

/** A call reaching a user: the caller's INVITE (the edge answers it if a mobile does) and its dialog. */
export interface ExternalRingCall {
  request: SipRequest;
  transaction: InviteServerTransaction;
  connection: SipConnection;
  dialog: CallDialog;
  /** The user called. */
  account: SipAccount;
  /** What the caller speaks: a browser WebRTC, a carrier or desk phone plain RTP. */
  callerMedia: MediaSide;
  host: ExternalRingHost;
}

/**
 * Rings the external numbers of the user `userId` for a call that already rings their phones;
 * with none to ring (or no such user) the host hears `externalsOver` at once.
 */
export function ringExternals(
  externals: ExternalNumbers,
  context: EdgeContext,
  userId: number,
  call: Omit<ExternalRingCall, 'account'>,
): void {
  void (async () => {
    const account = await context.accounts.byId(userId);
    if (account && (await externals.has(userId))) externals.ring({ ...call, account });
    else call.host.externalsOver();
  })().catch((error: unknown) => {
    context.log.error('SIP edge: could not ring external numbers', error);
    call.host.externalsOver();
  });
}

interface Ringing {
  readonly call: ExternalRingCall;
  readonly legs: { leg: ExternalLeg; mediaId: string; number: ExternalNumberRecord }[];
  /** The edge's To tag toward the caller (its 180 and its 200 for a mobile). */
  readonly tag: string;
  rang: boolean;
  checking: boolean;
  done: boolean;
}

/**
 * A user's external numbers (mobiles) rung beside their phones when a call reaches them, from a
 * carrier or from a colleague: each number is an outbound call through the trunk router (its
 * routes, caller ID and digest), with the caller's media through rtpengine (RTP to RTP from a
 * carrier, WebRTC to RTP from a browser). The call stays the caller's one dialog, so the leg is
 * the callee's profile's channel for that call; it is priced by the rate table as an outbound
 * call and charged to the callee's profile. A number the profile may not call (no `external`
 * flag), that no trunk routes, or whose first increment the credit cannot pay is not rung; the
 * reason is logged once at info level. The first answer wins: a mobile's cancels the phones as
 * answered elsewhere, a phone's (or the caller's CANCEL, or the ring timeout) cancels the mobile.
 */
export class ExternalNumbers {
  readonly #ringing = new Map<CallDialog, Ringing>();
  readonly #bridges = new Set<ExternalBridge>();
  readonly #deletes = new Set<Promise<void>>();
  readonly #stopListening: () => void;

  constructor(
    private readonly context: EdgeContext,
    private readonly options: {
      devices: DeviceLookup;
      media: MediaBridge;
      charging: CallCharging;
      db: Db;
    },
  ) {
    this.#stopListening = context.dialogs.onChange((dialog) => {
      const ringing = this.#ringing.get(dialog);
      // Answered on a phone, or over (the caller's CANCEL, the ring timeout, a failure).
      if (ringing && (dialog.state === 'answered' || !dialog.active))
        this.#stop(ringing, dialog.state === 'answered' ? ANSWERED_ELSEWHERE : undefined);
      if (!dialog.active)
        for (const bridge of this.#bridges)
          if (bridge.dialog === dialog && !bridge.ended)
            bridge.end({
              reason: 'The caller lost the connection',
              byeMobile: 'SIP;cause=480;text="The other party lost its connection"',
            });
    });
  }

  /** Whether the user has external numbers: only then is a call to them worth the ringing. */
  async has(userId: number): Promise<boolean> {
    return (await this.options.devices.numbersOf(userId)).length > 0;
  }

  /**
   * Rings the called user's external numbers the policy allows; `host.externalsOver()` follows
   * once none rings any more. Call it as the phones are rung, with the dialog registered.
   */
  ring(call: ExternalRingCall): void {
    const ringing: Ringing = { call, legs: [], tag: generateTag(), rang: false, checking: true, done: false };
    this.#ringing.set(call.dialog, ringing);
    void this.#start(ringing).catch((error: unknown) => {
      this.context.log.error('SIP edge: could not ring an external number', error);
      ringing.checking = false;
      this.#settle(ringing);
    });
  }

  /** Takes an in-dialog request of an answered call on an external number; false: not one. */
  handleInDialog(
    request: SipRequest,
    transaction: ServerTransaction | null,
    connection: SipConnection,
  ): boolean {
    for (const bridge of this.#bridges) {
      const end = bridge.endOf(request);
      if (!end) continue;
      bridge.handle(end, request, transaction, connection).catch((error: unknown) => {
        this.context.log.error('SIP edge: a request in a call on an external number failed', error);
        if (transaction && transaction.lastResponse === null)
          transaction.respond(buildResponse(request, 500, 'Server Internal Error'));
      });
      return true;
    }
    return false;
  }

  /** Calls answered on an external number now (tests, shutdown). */
  get size(): number {
    return this.#bridges.size;
  }

  /** Ends everything: ringing mobiles cancelled, answered calls hung up on both legs. */
  async close(): Promise<void> {
    this.#stopListening();
    for (const ringing of [...this.#ringing.values()]) this.#stop(ringing);
    for (const bridge of [...this.#bridges])
      bridge.end({
        reason: 'The server stopped',
        byeCaller: 'SIP;cause=503;text="The server stopped"',
        byeMobile: 'SIP;cause=503;text="The server stopped"',
      });
    await this.idle();
  }

  /** Resolves when every rtpengine delete sent so far was answered. */
  async idle(): Promise<void> {
    while (this.#deletes.size > 0) await Promise.allSettled([...this.#deletes]);
  }

  async #start(ringing: Ringing): Promise<void> {
    const { context } = this;
    const { call } = ringing;
    const { account } = call;
    const numbers = await this.options.devices.numbersOf(account.userId);
    const trunks = context.trunks;
    const allowed: { number: ExternalNumberRecord; routes: TrunkConfig[] }[] = [];
    for (const number of numbers) {
      const routes = trunks?.routesFor(number.number) ?? [];
      const refusal = await externalRefusal(this.options.charging, context, account, number.number, routes);
      if (refusal)
        context.log.info(
          `SIP edge: ${account.username}'s external number ${number.name} (${number.number}) is not rung: ${refusal}`,
        );
      else allowed.push({ number, routes });
    }
    if (!trunks || allowed.length === 0 || !this.#wanted(ringing)) {
      ringing.checking = false;
      return this.#settle(ringing);
    }
    for (const { number, routes } of allowed) {
      const mediaId = `external-${randomUUID()}`;
      let offer: string;
      try {
        offer = await this.options.media.offer({
          callId: mediaId,
          fromTag: EXTERNAL_TAG.caller,
          sdp: textBody(call.request),
          toward: 'trunk',
        });
      } catch (error) {
        this.#deleteMedia(mediaId);
        context.log.warn(`SIP edge: ${number.number} is not rung: ${(error as Error).message}`);
        continue;
      }
      if (!this.#wanted(ringing)) {
        this.#deleteMedia(mediaId);
        break;
      }
      const entry = { number, mediaId, leg: null as unknown as ExternalLeg };
      entry.leg = new ExternalLeg(context, trunks, number.number, routes, offer, {
        ringing: () => this.#ringBack(ringing),
        answered: (leg, sdp) =>
          void this.#answered(ringing, entry, leg, sdp, offer).catch((error: unknown) => {
            context.log.error('SIP edge: could not connect an external number', error);
          }),
        failed: (status, reason) => {
          context.log.info(`SIP edge: ${account.username}'s external number ${number.number}: ${reason}`);
          this.#deleteMedia(mediaId);
          this.#settle(ringing);
        },
      });
      ringing.legs.push(entry);
      void entry.leg.start();
    }
    // Only now may a leg's failure be the last: every number that can ring rings.
    ringing.checking = false;
    this.#settle(ringing);
  }

  /** The call still rings the user's phones (nobody answered, nobody gave up). */
  #wanted(ringing: Ringing): boolean {
    const { dialog, transaction } = ringing.call;
    return (
      !ringing.done && dialog.active && dialog.state !== 'answered' && transaction.state === 'proceeding'
    );
  }

  /** The mobile rings: the caller hears 180 from the edge (once). */
  #ringBack(ringing: Ringing): void {
    if (ringing.rang || !this.#wanted(ringing)) return;
    ringing.rang = true;
    const { request, transaction, connection, dialog } = ringing.call;
    transaction.respond(
      buildResponse(request, 180, 'Ringing', {
        toTag: ringing.tag,
        headers: [['Contact', edgeContact(this.context, connection)]],
      }),
    );
    this.context.dialogs.setState(dialog, 'ringing');
  }

  async #answered(
    ringing: Ringing,
    entry: Ringing['legs'][number],
    mobile: CarrierLeg,
    answer: string,
    offer: string,
  ): Promise<void> {
    const { context } = this;
    const { call } = ringing;
    if (!this.#wanted(ringing) || !call.host.takeOver()) {
      entry.leg.hangUp('SIP;cause=487;text="Cancelled"');
      this.#deleteMedia(entry.mediaId);
      return this.#settle(ringing);
    }
    ringing.done = true;
    this.#ringing.delete(call.dialog);
    for (const other of ringing.legs) if (other !== entry) other.leg.cancel(ANSWERED_ELSEWHERE);
    for (const other of ringing.legs) if (other !== entry) this.#deleteMedia(other.mediaId);
    const { request, transaction, connection, dialog, account } = call;
    let sdp: string;
    try {
      sdp = await this.options.media.answer({
        callId: entry.mediaId,
        fromTag: EXTERNAL_TAG.caller,
        toTag: EXTERNAL_TAG.mobile,
        sdp: answer,
        toward: call.callerMedia,
      });
    } catch (error) {
      const sentence = mediaSentence(error);
      entry.leg.hangUp('SIP;cause=488;text="No media"');
      this.#deleteMedia(entry.mediaId);
      transaction.respond(buildResponse(request, 503, sentence));
      context.dialogs.end(dialog, 'failed', sentence);
      return;
    }
    if (transaction.state !== 'proceeding' || connection.closed) {
      // The caller cancelled (or left) while rtpengine answered: the mobile is hung up again.
      entry.leg.hangUp('SIP;cause=487;text="Cancelled"');
      this.#deleteMedia(entry.mediaId);
      context.dialogs.end(dialog, 'missed', 'Cancelled by the caller');
      return;
    }
    const ok = buildResponse(request, 200, 'OK', {
      toTag: ringing.tag,
      headers: [
        ...request.headers.getAll('record-route').map((value) => ['Record-Route', value] as const),
        ['Contact', edgeContact(context, connection)],
        ['Allow', ALLOW],
        ['Content-Type', 'application/sdp'],
      ],
      body: sdp,
    });
    transaction.respond(ok);
    const record = startExternalRecord(context, account, entry.number, mobile.callId, entry.leg.trunk);
    const caller = new CarrierLeg(
      request.headers.get('call-id') ?? '',
      withTag(request.headers.get('to') ?? '', ringing.tag),
      request.headers.get('from') ?? '',
      remoteTargetOf(request, request.uri),
      connection,
      0,
    );
    caller.routes = [...request.headers.getAll('record-route')];
    const bridge = new ExternalBridge(
      context,
      this.options.media,
      dialog,
      caller,
      mobile,
      entry.mediaId,
      call.callerMedia,
      { toCaller: sdp, fromCaller: textBody(request), toMobile: offer, fromMobile: answer },
      (ended, end) => this.#ended(ended, end, record),
    );
    bridge.stopRepeating = repeatUntilAck(transaction, ok);
    this.#bridges.add(bridge);
    dialog.callee = {
      role: 'callee',
      userId: account.userId,
      username: account.username,
      connection: null,
      contactKey: null,
      contactUri: '',
      tag: ringing.tag,
      cseq: 0,
      graceTimer: null,
    };
    dialog.calleeProfileId = account.profile?.id ?? null;
    dialog.early.clear();
    context.dialogs.setState(dialog, 'answered');
    dialog.record.answered();
    await chargeExternal(this.options.charging, bridge, record, entry.number.number);
  }

  #ended(bridge: ExternalBridge, end: ExternalEnd, record: CallRecordHandle): void {
    this.#bridges.delete(bridge);
    this.#deleteMedia(bridge.mediaId);
    const { charging, db } = this.options;
    settleExternal(charging, db, this.context.log, record, end.reason);
  }

  /** Every mobile still ringing is cancelled (`reason`: answered elsewhere). */
  #stop(ringing: Ringing, reason?: string): void {
    ringing.done = true;
    this.#ringing.delete(ringing.call.dialog);
    for (const { leg, mediaId } of ringing.legs)
      if (leg.pending) {
        leg.cancel(reason);
        this.#deleteMedia(mediaId);
      }
  }

  /** Tells the host once no mobile rings any more (and the checks are over). */
  #settle(ringing: Ringing): void {
    if (ringing.checking || ringing.legs.some((entry) => entry.leg.pending)) return;
    if (this.#ringing.get(ringing.call.dialog) === ringing) this.#ringing.delete(ringing.call.dialog);
    if (ringing.done) return;
    ringing.done = true;
    ringing.call.host.externalsOver();
  }

  #deleteMedia(mediaId: string): void {
    const deleted = this.options.media.delete(mediaId);
    this.#deletes.add(deleted);
    void deleted.finally(() => this.#deletes.delete(deleted));
  }
}
