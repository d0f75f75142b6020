import { EDGE_NOTICE_HEADER } from '../../../contracts/credit';
import { CallCharging, type ChargedCallPort } from '../../billing/call-charging';
import type { QueueConfig } from '../../contact-center/queue-ports';
import type { MediaBridge } from '../../media/media-bridge';
import { canPlaceCall, type ProfileLoad } from '../../../contracts/policy/call-admission';
import {
  canCallNumber,
  normaliseDialled,
  type DialledNumber,
} from '../../../contracts/policy/outbound-dialing';
import { setCallTrunk, type NewCall } from '../../store/calls-repository';
import { setCallCharge } from '../../store/credit-repository';
import type { Db } from '../../store/database';
import { findGroup } from '../../store/groups-repository';
import type { SipAccount } from '../../store/sip-accounts-repository';
import { reply, type EdgeContext } from '../edge-context';
import { CallDialog, reattach, type Party } from '../dialogs/call-dialog';
import {
  callIdOf,
  cseqOf,
  fromTagOf,
  fromUserOf,
  requestUserOf,
  toTagOf,
  toUserOf,
} from '../message/message-fields';
import { generateCallId, generateTag } from '../message/identifiers';
import { parseNameAddr, tagOf } from '../message/name-addr';
import type { SipRequest } from '../message/sip-message';
import { addressedAccount, startOutOfDialog } from '../proxy/identity';
import { callerSideOf, partyOf } from '../proxy/invite-proxy';
import { mediaSideOf } from '../proxy/media-relay';
import type { Binding } from '../registrar/location-service';
import type { InviteServerTransaction, ServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import { carriesCredentials } from '../trunks/challenge-answer';
import { ipAuthenticationRefusal } from '../trunks/ip-authentication';
import { fromCarrierFormat } from '../trunks/number-format';
import type { QueueEngine } from '../queues/queue-engine';
import { queueParty } from '../queues/queue-invites';
import type { NumberSource, TrunkConfig, TrunkRouter } from '../trunks/trunk-config';
import { bridgeInDialog } from './bridge-in-dialog';
import { phoneMedia } from './agent-media';
import { abortTransfer, withTransferNote } from './bridge-transfer';
import type { BridgeHost, CallEnd, RingTarget } from './bridge-host';
import { BridgedCall, customerParty, customerSide } from './bridged-call';
import { ringExternals, type ExternalNumbers } from './external-ring';
import { InboundCall } from './inbound-call';
import { OutboundCall } from './outbound-call';
import { QueuedInboundCall } from './queued-inbound-call';
import { hasSdp, legRequest } from './ua-leg';

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

type Setup = OutboundCall | InboundCall | QueuedInboundCall;

function loadOf(context: EdgeContext, account: SipAccount): ProfileLoad | null {
  const { profile } = account;
  if (!profile) return null;
  return {
    name: profile.name,
    flags: profile.flags,
    channelLimit: profile.channelLimit,
    channelsInUse: context.dialogs.channelsInUse(profile.id),
  };
}

function quoted(text: string): string {
  return `"${text.replace(/["\\]/g, '')}"`;
}

/**
 * Calls over SIP trunks, bridged back-to-back: the agent's browser leg ends at the edge, which
 * places (or takes) the carrier leg as a user agent of its own (its own Call-ID, the trunk's caller
 * ID and number format, the carrier's digest), with media through rtpengine. Each call's browser
 * leg is a CallDialog in the edge's registry, so channel limits, live calls, the operator panel,
 * monitoring and a phone's reconnection treat it as the agent's call with a customer.
 */
export class TrunkCalls implements BridgeHost {
  /** Rings a called user's external numbers beside their phones (null: nobody's ring). */
  externals: ExternalNumbers | null = null;
  readonly media: MediaBridge;
  readonly numbers: NumberSource | null;
  /** Priced outbound calls: admitted, charged per increment, ended when credit runs out. */
  readonly charging: CallCharging;
  readonly #db: Db;
  readonly #queues: QueueEngine | null;
  readonly #byDialog = new Map<CallDialog, BridgedCall>();
  readonly #byCarrierCallId = new Map<string, BridgedCall>();
  readonly #setups = new Map<BridgedCall, Setup>();
  readonly #deletes = new Set<Promise<void>>();
  readonly #stopListening: () => void;

  constructor(
    readonly context: EdgeContext,
    options: TrunkCallsOptions,
  ) {
    this.media = options.media;
    this.numbers = options.numbers;
    this.#db = options.db;
    this.#queues = options.queues ?? null;
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
        await this.#inbound(trunk, request, transaction, connection);
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
    await this.#outbound(dialled, request, transaction, connection);
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
    const { context } = this;
    const callId = callIdOf(request);
    const fromTag = fromTagOf(request) ?? '';
    const toTag = toTagOf(request) ?? '';
    const match = context.dialogs.match(callId, fromTag, toTag);
    if (match) {
      const call = this.#byDialog.get(match.dialog);
      if (!call) return false;
      const { sender } = match;
      if (sender !== call.agent) {
        if (transaction) reply(transaction, 403, 'You are not a party to this call');
        return true;
      }
      if (sender.connection !== connection) {
        // A phone that reconnected speaks from its new connection; only if it registered there.
        const registeredHere = context.location
          .ofConnection(connection.id)
          .some((b) => b.userId === sender.userId);
        if (!registeredHere) {
          if (transaction) reply(transaction, 403, 'You are not a party to this call');
          return true;
        }
        reattach(sender, connection);
      }
      const cseq = cseqOf(request);
      if (cseq && request.method !== 'ACK') sender.cseq = Math.max(sender.cseq, cseq.seq);
      this.#run(bridgeInDialog(this, call, 'browser', request, transaction), transaction);
      return true;
    }
    const call = this.#byCarrierCallId.get(callId);
    const carrier = call?.carrier;
    if (!call || !carrier) return false;
    const localTag = tagOf(parseNameAddr(carrier.local) ?? { displayName: null, uri: '', params: new Map() });
    const remoteTag = tagOf(
      parseNameAddr(carrier.remote) ?? { displayName: null, uri: '', params: new Map() },
    );
    if (fromTag !== remoteTag || toTag !== localTag) return false;
    const fromCarrier =
      connection === carrier.connection ||
      connection.remoteAddress === carrier.connection.remoteAddress ||
      this.trunks()?.trunkOf(connection)?.id === call.trunk.id;
    if (!fromCarrier) {
      if (transaction) reply(transaction, 403, 'You are not a party to this call');
      return true;
    }
    this.#run(bridgeInDialog(this, call, 'trunk', request, transaction), transaction);
    return true;
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
    call.dialog.record.after((recordId) => setCallTrunk(this.#db, recordId, name));
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
      .then((charge) => charge && record.after((id) => setCallCharge(this.#db, id, charge)))
      .catch((error: unknown) => context.log.error('SIP edge: could not settle a call charge', error));
  }

  /** How charging ends a call (credit ran out) or tells the agent's phone, on whichever call has the record now. */
  #chargePort(dialog: CallDialog): ChargedCallPort {
    const current = () =>
      [...this.#byDialog.values()].find((c) => c.dialog.record === dialog.record && !c.ended);
    return {
      endForCredit: (sentence) => {
        const call = current();
        const reason = `SIP;cause=402;text="${sentence.replace(/"/g, '')}"`;
        if (call)
          this.finish(call, {
            disposition: 'answered',
            reason: sentence,
            byeCarrier: reason,
            byeBrowser: reason,
          });
      },
      notify: (sentence) => {
        const call = current();
        const info =
          call &&
          legRequest(this.context, call.browser, 'INFO', {
            body: sentence,
            contentType: 'text/plain',
            headers: [[EDGE_NOTICE_HEADER, 'credit']],
          });
        const connection = call?.browser.connection;
        if (!info || !connection) return;
        try {
          this.context.layer.sendRequest(info, connection);
        } catch (error) {
          this.context.log.warn('SIP edge: could not tell a phone its credit runs out', error);
        }
      },
    };
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

  async #outbound(
    dialled: DialledNumber,
    request: SipRequest,
    transaction: InviteServerTransaction,
    connection: SipConnection,
  ): Promise<void> {
    const { context } = this;
    const start = await startOutOfDialog(context, request, transaction, connection);
    if (!start || transaction.state !== 'proceeding' || connection.closed) return;
    const { sender: caller, from, fromTag } = start;
    const { e164 } = dialled;
    const routes = this.trunks()?.routesFor(e164) ?? [];
    const callId = callIdOf(request);
    const record: NewCall = {
      callId,
      fromUri: from.uri,
      fromName: caller.displayName,
      fromUserId: caller.userId,
      toUri: `tel:${e164}`,
      toName: null,
      toUserId: null,
      callerProfileId: caller.profile?.id ?? null,
      callerProfile: caller.profile?.name ?? null,
      calleeProfileId: null,
      calleeProfile: null,
      direction: 'outbound',
      number: e164,
      trunk: routes[0]?.name ?? null,
    };
    const refuse = (status: number, reason: string, disposition: 'refused' | 'failed') => {
      context.recorder.start(record).finish(disposition, reason);
      reply(transaction, status, reason);
    };
    const allowed = canCallNumber(caller.profile, dialled);
    if (!allowed.allowed) return refuse(403, allowed.reason, 'refused');
    const admitted = canPlaceCall(loadOf(context, caller), null);
    if (!admitted.allowed) return refuse(403, admitted.reason, 'refused');
    const price = await this.charging.admit(caller.profile?.id ?? null, e164);
    if (transaction.state !== 'proceeding' || connection.closed) return;
    if (!price.allowed) return refuse(price.status, price.reason, 'refused');
    const first = routes[0];
    if (!first) return refuse(503, `No trunk can call ${e164}: ask your administrator to add one`, 'failed');
    this.media.start();
    const status = this.media.status();
    if (status.state === 'off') return refuse(503, status.problem.replace(/\.$/, ''), 'failed');
    if (!hasSdp(request)) return refuse(488, 'The call has no audio offer (SDP)', 'failed');

    const customer = customerSide('callee', e164, generateTag());
    const dialog = new CallDialog({
      callId,
      caller: callerSideOf(request, caller, connection, fromTag),
      fromHeader: request.headers.get('from') ?? '',
      toHeader: request.headers.get('to') ?? '',
      callerProfileId: caller.profile?.id ?? null,
      calleeProfileId: null,
      record: context.recorder.start(record),
      parties: { caller: partyOf(caller), callee: customerParty(e164) },
    });
    const call = new BridgedCall('outbound', dialog, customer, e164, first);
    // A desk phone's RTP is bridged to the carrier's RTP; a browser's WebRTC is.
    call.agentMedia = mediaSideOf(connection);
    if (price.rate && caller.profile)
      this.charging.reserve(dialog.record, {
        callId,
        profileId: caller.profile.id,
        number: e164,
        rate: price.rate,
        currency: price.rate.currency,
      });
    const setup = new OutboundCall(this, call, request, transaction, connection, routes);
    this.#byDialog.set(dialog, call);
    this.#setups.set(call, setup);
    context.dialogs.add(dialog);
    await setup.start();
  }

  async #inbound(
    trunk: TrunkConfig,
    request: SipRequest,
    transaction: InviteServerTransaction,
    connection: SipConnection,
  ): Promise<void> {
    const { context } = this;
    const { defaultCountryCode } = context.config;
    const read = (user: string | null) =>
      user === null ? null : fromCarrierFormat(user, trunk.numberFormat, defaultCountryCode);
    const fromUser = fromUserOf(request);
    const customerNumber = read(fromUser) ?? fromUser ?? 'anonymous';
    // The number called: the Request-URI's user, or To's (a registering trunk's Request-URI may
    // name the registration's Contact instead).
    let dialled = read(requestUserOf(request));
    let assignment = dialled && this.numbers ? await this.numbers.assignmentOf(dialled) : null;
    if (!assignment) {
      const toNumber = read(toUserOf(request));
      if (toNumber && toNumber !== dialled && this.numbers) {
        assignment = await this.numbers.assignmentOf(toNumber);
        if (assignment || !dialled) dialled = toNumber;
      }
    }
    if (transaction.state !== 'proceeding') return;
    const record: NewCall = {
      callId: callIdOf(request),
      fromUri: `tel:${customerNumber}`,
      fromName: customerNumber,
      fromUserId: null,
      toUri: `tel:${dialled ?? requestUserOf(request) ?? ''}`,
      toName: null,
      toUserId: null,
      callerProfileId: null,
      callerProfile: null,
      calleeProfileId: null,
      calleeProfile: null,
      direction: 'inbound',
      number: customerNumber,
      trunk: trunk.name,
    };
    const refuse = (status: number, reason: string, disposition: 'failed' | 'missed' | 'refused') => {
      context.recorder.start(record).finish(disposition, reason);
      reply(transaction, status, reason);
    };
    if (!assignment || !dialled) return refuse(404, 'Not in service', 'failed');

    let targets: RingTarget[] = [];
    let callee: Party;
    let queued: { engine: QueueEngine; queue: QueueConfig } | null = null;
    if (assignment.kind === 'user') {
      targets = await this.ringTargets((userId) => userId === assignment.userId);
      const account = targets[0]?.binding;
      record.toUserId = assignment.userId;
      callee = account
        ? {
            userId: account.userId,
            username: account.username,
            displayName: account.displayName,
            extension: account.extension,
          }
        : { userId: assignment.userId, username: dialled, displayName: dialled, extension: dialled };
      record.toName = account?.displayName ?? null;
      record.calleeProfileId = targets[0]?.profileId ?? null;
      record.calleeProfile = account?.profileName ?? null;
    } else if (assignment.kind === 'group') {
      const group = await findGroup(this.#db, assignment.groupId);
      const name = group?.name ?? null;
      targets =
        name === null ? [] : await this.ringTargets((userId) => context.accounts.isMember(name, userId));
      callee = { userId: null, username: name ?? dialled, displayName: name ?? dialled, extension: dialled };
      record.toName = name;
    } else {
      // The caller waits in the queue's line for an Available agent.
      const engine = this.#queues;
      const queue = engine?.queueById(assignment.queueId) ?? null;
      if (!engine || !queue) return refuse(404, 'Not in service', 'failed');
      queued = { engine, queue };
      callee = queueParty(queue);
      record.toName = callee.displayName;
    }
    if (transaction.state !== 'proceeding') return;
    if (!queued && targets.length === 0) return refuse(480, 'Nobody is available to take the call', 'missed');
    this.media.start();
    const status = this.media.status();
    if (status.state === 'off') return refuse(503, status.problem.replace(/\.$/, ''), 'failed');
    if (!hasSdp(request)) return refuse(488, 'An INVITE without an SDP offer is not supported', 'failed');

    const tag = generateTag();
    const customer = customerSide('caller', customerNumber, tag);
    // The edge's INVITE to the phones was CSeq 1: its next request there (a BYE, a re-INVITE) is 2.
    customer.cseq = 1;
    const dialog = new CallDialog({
      callId: generateCallId(),
      caller: customer,
      fromHeader: `${quoted(customerNumber)} <sip:${customerNumber}@${context.config.sipDomain}>;tag=${tag}`,
      toHeader: `<sip:${dialled}@${context.config.sipDomain}>`,
      callerProfileId: null,
      calleeProfileId: assignment.kind === 'user' ? (targets[0]?.profileId ?? null) : null,
      record: context.recorder.start(record),
      parties: { caller: customerParty(customerNumber), callee },
    });
    const call = new BridgedCall('inbound', dialog, customer, customerNumber, trunk);
    const setup = queued
      ? new QueuedInboundCall(
          this,
          call,
          request,
          transaction,
          connection,
          queued.engine,
          queued.queue,
          generateTag(),
        )
      : new InboundCall(this, call, request, transaction, connection, targets, generateTag());
    this.#byDialog.set(dialog, call);
    this.#setups.set(call, setup);
    context.dialogs.add(dialog);
    const { externals } = this;
    if (externals && setup instanceof InboundCall && assignment.kind === 'user') {
      setup.externalPending = true;
      ringExternals(externals, context, assignment.userId, {
        request,
        transaction,
        connection,
        dialog,
        callerMedia: 'trunk',
        host: {
          takeOver: () => setup.takeOver() && this.#handOff(call),
          externalsOver: () => setup.externalsOver(),
        },
      });
    }
    await setup.start();
  }

  /** A user's mobile took the call: the bridge forgets it (the dialog and its record go on there). */
  #handOff(call: BridgedCall): true {
    call.ended = true;
    this.#byDialog.delete(call.dialog);
    this.#setups.delete(call);
    this.deleteMedia(call.mediaId);
    for (const spare of call.spareMediaIds) this.deleteMedia(spare);
    call.spareMediaIds.clear();
    return true;
  }

  /**
   * The phones an inbound call rings: live bindings of the users `wanted` picks, browsers and desk
   * phones alike (each with the media it speaks), whose profile may take calls (`call`) and has a
   * channel left.
   */
  async ringTargets(wanted: (userId: number) => boolean | Promise<boolean>): Promise<RingTarget[]> {
    const { context } = this;
    const now = Date.now();
    const byUser = new Map<number, Binding[]>();
    for (const binding of context.location.all()) {
      if (binding.connection.closed || binding.expiresAt <= now) continue;
      const list = byUser.get(binding.userId) ?? [];
      list.push(binding);
      byUser.set(binding.userId, list);
    }
    const targets: RingTarget[] = [];
    for (const [userId, bindings] of byUser) {
      if (!(await wanted(userId))) continue;
      const first = bindings[0];
      if (!first) continue;
      const account = await context.accounts.byUsername(first.username);
      const profile = account?.profile;
      if (!account || !profile?.flags.includes('call')) continue;
      if (context.dialogs.channelsInUse(profile.id) >= profile.channelLimit) continue;
      for (const binding of bindings)
        targets.push({
          binding,
          media: phoneMedia(binding),
          party: partyOf(account),
          profileId: profile.id,
        });
    }
    return targets;
  }

  #run(work: Promise<void>, transaction: ServerTransaction | null): void {
    work.catch((error: unknown) => {
      this.context.log.error('SIP edge: a request in a trunk call failed', error);
      if (transaction && transaction.lastResponse === null) reply(transaction, 500, 'Server Internal Error');
    });
  }
}
