import type { MediaSide } from '../../media/media-bridge';
import type { CallDialog, DialogSide, Party } from '../dialogs/call-dialog';
import { generateCallId } from '../message/identifiers';
import type { SipResponse } from '../message/sip-message';
import type { InviteServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import type { TrunkConfig } from '../trunks/trunk-config';
import { withTag, type UaLeg } from './ua-leg';

/**
 * rtpengine's tag for each leg of a bridged call (one rtpengine call id per bridged call): `browser`
 * is the agent's leg, whether the agent's phone is a browser or a desk phone.
 */
export const MEDIA_TAG = { browser: 'browser', trunk: 'trunk' } as const;

/** The carrier leg: a dialog the edge holds as a user agent with the carrier (or PBX). */
export class CarrierLeg implements UaLeg {
  remote: string;
  target: string;
  routes: string[] = [];
  cseq: number;

  constructor(
    readonly callId: string,
    readonly local: string,
    remote: string,
    target: string,
    readonly connection: SipConnection,
    cseq = 1,
  ) {
    this.remote = remote;
    this.target = target;
    this.cseq = cseq;
  }

  nextCseq(): number {
    this.cseq += 1;
    return this.cseq;
  }
}

/**
 * The browser leg read from the call's CallDialog: the phone's side follows a phone that
 * reconnected (DialogRegistry.rebind), and the edge's own side keeps the edge's CSeq, so a BYE
 * the edge sends for the customer (byeOnBehalf, or this leg) continues one sequence.
 */
export class BrowserLeg implements UaLeg {
  constructor(
    private readonly dialog: CallDialog,
    private readonly phone: () => DialogSide | null,
    private readonly customer: DialogSide,
  ) {}

  get callId(): string {
    return this.dialog.callId;
  }

  /** Outbound, the phone called: the edge is the callee, its tag on To; inbound, the edge is the caller. */
  get local(): string {
    const { dialog } = this;
    return dialog.caller === this.customer ? dialog.fromHeader : withTag(dialog.toHeader, this.customer.tag);
  }

  get remote(): string {
    const { dialog } = this;
    return dialog.caller === this.customer
      ? withTag(dialog.toHeader, this.phone()?.tag ?? '')
      : dialog.fromHeader;
  }

  get target(): string {
    return this.phone()?.contactUri ?? '';
  }

  get routes(): readonly string[] {
    return [];
  }

  get connection(): SipConnection | null {
    return this.phone()?.connection ?? null;
  }

  nextCseq(): number {
    this.customer.cseq += 1;
    return this.customer.cseq;
  }
}

/** The customer as a party of the browser leg's CallDialog (the operator panel shows the number). */
export function customerParty(e164: string): Party {
  return { userId: null, username: e164, displayName: e164, extension: e164 };
}

/** The edge's side of the browser leg, speaking for the customer: never on a connection of its own. */
export function customerSide(role: 'caller' | 'callee', e164: string, tag: string): DialogSide {
  return {
    role,
    userId: null,
    username: e164,
    connection: null,
    contactKey: null,
    contactUri: '',
    tag,
    cseq: 0,
    graceTimer: null,
  };
}

/**
 * One bridged (B2BUA) trunk call: the browser leg (a CallDialog in the edge's registry, so that
 * channel limits, live calls and monitoring see it as the agent's call), the carrier leg, and
 * the rtpengine call joining their media.
 */
export class BridgedCall {
  /**
   * rtpengine's call id: one per bridged call, both legs share it. An inbound call ringing phones
   * of both kinds holds one per kind (`spareMediaIds`) until a phone answers; this then becomes its kind's.
   */
  mediaId = `bridge-${generateCallId()}`;
  /** rtpengine calls made for phones that may still answer, or that did not (deleted when the call ends). */
  readonly spareMediaIds = new Set<string>();
  /** What the agent's phone speaks: WebRTC (a browser) or plain RTP (a desk phone); rtpengine's flags follow it. */
  agentMedia: MediaSide = 'browser';
  carrier: CarrierLeg | null = null;
  /** A re-INVITE in progress on either leg: another one meanwhile gets 491. */
  updating = false;
  ended = false;
  /** Stops repeating the edge's last 2xx to the carrier (UDP) once it sent its ACK. */
  stopRepeating: (() => void) | null = null;
  /** Stops repeating the edge's last 2xx to the agent's phone (a desk phone over UDP) once it ACKed. */
  stopRepeatingToAgent: (() => void) | null = null;
  /**
   * Work waiting for the agent's phone to confirm the answered call. On an outbound call the phone
   * is the caller: until its ACK arrives it may still be setting up the answer (sip.js drops an
   * in-dialog INFO in that state), so the edge's notices wait for it. Null once confirmed.
   */
  #untilAgentConfirmed: (() => void)[] | null = [];
  /** The SDP the carrier last got from the edge (answered again to an offerless re-INVITE). */
  sdpToCarrier = '';
  readonly browser: BrowserLeg;

  constructor(
    readonly direction: 'outbound' | 'inbound',
    readonly dialog: CallDialog,
    /** The edge's side of the browser leg (speaking for the customer). */
    readonly customer: DialogSide,
    /** The customer's E.164 number. */
    readonly number: string,
    public trunk: TrunkConfig,
  ) {
    this.browser = new BrowserLeg(dialog, () => this.agent, customer);
  }

  /**
   * Runs `work` once the agent's phone has confirmed the call: at once on an inbound call (the
   * edge sent the ACK) or after the phone's ACK to an outbound call's 200.
   */
  whenAgentConfirmed(work: () => void): void {
    if (this.#untilAgentConfirmed === null || this.direction === 'inbound') work();
    else this.#untilAgentConfirmed.push(work);
  }

  /** The agent's phone sent its ACK: waiting work runs (once). */
  agentConfirmed(): void {
    const waiting = this.#untilAgentConfirmed;
    this.#untilAgentConfirmed = null;
    for (const work of waiting ?? []) work();
  }

  /** The agent's phone side of the browser leg (null until an inbound call is answered). */
  get agent(): DialogSide | null {
    return this.direction === 'outbound' ? this.dialog.caller : this.dialog.callee;
  }
}

/** Repeats a 2xx to an INVITE over UDP until its ACK (RFC 3261 13.3.1.4): T1 doubling to T2, for 64·T1. */
export function repeatUntilAck(
  transaction: InviteServerTransaction,
  response: SipResponse,
  t1 = 500,
  t2 = 4000,
): () => void {
  if (transaction.reliable) return () => undefined;
  let interval = t1;
  let elapsed = 0;
  let timer: NodeJS.Timeout | null = null;
  const tick = () => {
    elapsed += interval;
    if (elapsed >= 64 * t1 || !transaction.respond(response)) return;
    interval = Math.min(interval * 2, t2);
    timer = setTimeout(tick, interval);
  };
  timer = setTimeout(tick, interval);
  return () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
