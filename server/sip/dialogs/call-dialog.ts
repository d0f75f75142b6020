import { randomUUID } from 'node:crypto';
import type { Disposition, MonitorMode } from '../../../contracts/calls';
import type { MediaRelay } from '../proxy/media-relay';
import type { CallRecordHandle } from '../records/call-recorder';
import type { MonitoringHandle } from '../records/monitoring-record';
import type { ServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';

export type DialogState = 'trying' | 'ringing' | 'answered' | 'ended';

/** One party of a call as the edge knows it. */
export interface DialogSide {
  readonly role: 'caller' | 'callee';
  /** Null for a customer on a trunk call: the edge itself speaks for them on this leg. */
  readonly userId: number | null;
  readonly username: string;
  /** The connection it is reached on; null while it is away (grace period). */
  connection: SipConnection | null;
  /** `user@host` of its Contact: a re-registration with it takes the calls back. */
  readonly contactKey: string | null;
  /** Its Contact URI: the Request-URI of requests the edge sends it. */
  contactUri: string;
  readonly tag: string;
  /** Highest CSeq it sent in the dialog (the edge continues its sequence for a BYE). */
  cseq: number;
  graceTimer: NodeJS.Timeout | null;
}

/** Who a party of a call is, for the operator panel. */
export interface Party {
  /** Null for a customer on a trunk call (their number is the name and the extension). */
  readonly userId: number | null;
  readonly username: string;
  readonly displayName: string;
  readonly extension: string;
}

/** What makes a dialog a monitor session: the operator (caller) monitors the agent's (callee) call. */
export interface MonitorLeg {
  /** The call being monitored. */
  readonly target: CallDialog;
  mode: MonitorMode;
  /** The monitor INVITE's server transaction: cancelled if the call ends before the answer. */
  readonly transaction: ServerTransaction;
  readonly record: MonitoringHandle;
}

export interface CallDialogInit {
  callId: string;
  caller: DialogSide;
  /** The INVITE's From (with the caller's tag) and To (without a tag). */
  fromHeader: string;
  toHeader: string;
  callerProfileId: number | null;
  calleeProfileId: number | null;
  record: CallRecordHandle;
  parties: { caller: Party; callee: Party };
  monitor?: MonitorLeg;
}

/**
 * A call from the first INVITE to its end: trying, ringing, answered, ended. Early
 * callee sides (one per forked branch that sent a tag) are kept until one answers.
 * A monitor session is a dialog too, from the operator to the agent, with `monitor` set.
 */
export class CallDialog {
  readonly id = randomUUID();
  state: DialogState = 'trying';
  callee: DialogSide | null = null;
  readonly early = new Map<string, DialogSide>();
  readonly startedAt = new Date();
  answeredAt: Date | null = null;
  readonly callId: string;
  readonly caller: DialogSide;
  readonly fromHeader: string;
  readonly toHeader: string;
  readonly callerProfileId: number | null;
  /** Set when a group's call is answered (a trunk call to a group rings several profiles). */
  calleeProfileId: number | null;
  readonly record: CallRecordHandle;
  readonly parties: { caller: Party; callee: Party };
  readonly monitor: MonitorLeg | null;
  /** A proxied call between a browser and a desk phone: its media through rtpengine. */
  relay: MediaRelay | null = null;

  constructor(init: CallDialogInit) {
    this.callId = init.callId;
    this.caller = init.caller;
    this.fromHeader = init.fromHeader;
    this.toHeader = init.toHeader;
    this.callerProfileId = init.callerProfileId;
    this.calleeProfileId = init.calleeProfileId;
    this.record = init.record;
    this.parties = init.parties;
    this.monitor = init.monitor ?? null;
  }

  get active(): boolean {
    return this.state !== 'ended';
  }

  sides(): DialogSide[] {
    return this.callee ? [this.caller, this.callee] : [this.caller, ...this.early.values()];
  }
}

export type DialogListener = (dialog: CallDialog) => void;

export interface DialogMatch {
  dialog: CallDialog;
  sender: DialogSide;
  target: DialogSide;
}

/** Live dialogs by Call-ID, for in-dialog routing, channel counts and the panels. */
export class DialogRegistry {
  readonly #byCallId = new Map<string, Set<CallDialog>>();
  readonly #listeners = new Set<DialogListener>();

  onChange(listener: DialogListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  add(dialog: CallDialog): void {
    let set = this.#byCallId.get(dialog.callId);
    if (!set) {
      set = new Set();
      this.#byCallId.set(dialog.callId, set);
    }
    set.add(dialog);
    this.changed(dialog);
  }

  setState(dialog: CallDialog, state: DialogState): void {
    if (!dialog.active || dialog.state === state) return;
    dialog.state = state;
    if (state === 'answered') dialog.answeredAt = new Date();
    this.changed(dialog);
  }

  /** Ends the dialog once: record closed, timers stopped, removed from the registry. */
  end(dialog: CallDialog, disposition: Disposition, reason: string | null): void {
    if (!dialog.active) return;
    this.#remove(dialog, () => dialog.record.finish(disposition, reason));
  }

  /**
   * Ends a dialog whose record goes on in another dialog (a bridged call transferred to another
   * phone shares one record): timers stopped, removed from the registry, the record left open.
   */
  handOver(dialog: CallDialog): void {
    if (!dialog.active) return;
    this.#remove(dialog, () => undefined);
  }

  #remove(dialog: CallDialog, finishRecord: () => void): void {
    dialog.state = 'ended';
    for (const side of dialog.sides()) {
      if (side.graceTimer) clearTimeout(side.graceTimer);
      side.graceTimer = null;
    }
    finishRecord();
    const set = this.#byCallId.get(dialog.callId);
    set?.delete(dialog);
    if (set?.size === 0) this.#byCallId.delete(dialog.callId);
    this.changed(dialog);
  }

  changed(dialog: CallDialog): void {
    for (const listener of this.#listeners) listener(dialog);
  }

  /** The dialog an in-dialog request belongs to, and which side sent it. */
  match(callId: string, fromTag: string, toTag: string): DialogMatch | null {
    for (const dialog of this.#byCallId.get(callId) ?? []) {
      const { caller } = dialog;
      if (caller.tag === fromTag) {
        const target = this.#calleeByTag(dialog, toTag);
        if (target) return { dialog, sender: caller, target };
      } else if (caller.tag === toTag) {
        const sender = this.#calleeByTag(dialog, fromTag);
        if (sender) return { dialog, sender, target: caller };
      }
    }
    return null;
  }

  #calleeByTag(dialog: CallDialog, tag: string): DialogSide | null {
    if (dialog.callee) return dialog.callee.tag === tag ? dialog.callee : null;
    return dialog.early.get(tag) ?? null;
  }

  all(): CallDialog[] {
    const out: CallDialog[] = [];
    for (const set of this.#byCallId.values()) out.push(...set);
    return out;
  }

  /** Channels in use by a profile: live calls it is on; a call inside one profile counts once. */
  channelsInUse(profileId: number): number {
    let count = 0;
    for (const set of this.#byCallId.values())
      for (const dialog of set)
        if (dialog.callerProfileId === profileId || dialog.calleeProfileId === profileId) count++;
    return count;
  }

  /** Monitor sessions on a call. */
  monitorsOf(target: CallDialog): CallDialog[] {
    const out: CallDialog[] = [];
    for (const set of this.#byCallId.values())
      for (const dialog of set) if (dialog.monitor?.target === target) out.push(dialog);
    return out;
  }

  /** Sides reached over this connection. */
  sidesOn(connection: SipConnection): { dialog: CallDialog; side: DialogSide }[] {
    const out: { dialog: CallDialog; side: DialogSide }[] = [];
    for (const set of this.#byCallId.values())
      for (const dialog of set)
        for (const side of dialog.sides()) if (side.connection === connection) out.push({ dialog, side });
    return out;
  }

  /** A phone that registered again takes back the calls it left: returns how many. */
  rebind(userId: number, contactKey: string, connection: SipConnection): number {
    let count = 0;
    for (const set of this.#byCallId.values())
      for (const dialog of set)
        for (const side of dialog.sides()) {
          if (side.userId !== userId || side.contactKey !== contactKey) continue;
          if (side.connection === connection) continue;
          if (side.connection !== null && !side.connection.closed) continue;
          reattach(side, connection);
          count++;
        }
    return count;
  }
}

export function reattach(side: DialogSide, connection: SipConnection): void {
  side.connection = connection;
  if (side.graceTimer) clearTimeout(side.graceTimer);
  side.graceTimer = null;
}
