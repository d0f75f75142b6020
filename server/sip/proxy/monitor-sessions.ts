import { formatMonitorMark, MONITOR_HEADER, parseMonitorMark } from '../../../contracts/monitor-header';
import type { MonitorMode } from '../../../contracts/calls';
import {
  canMonitor,
  type MonitoredAgent,
  type MonitoringOperator,
} from '../../../contracts/policy/monitoring';
import { appendAudit } from '../../store/audit-repository';
import type { Db } from '../../store/database';
import type { SipAccount } from '../../store/sip-accounts-repository';
import { reply, type EdgeContext, type ModeChange } from '../edge-context';
import { callIdOf } from '../message/message-fields';
import type { SipRequest } from '../message/sip-message';
import { monitoringRecord } from '../records/monitoring-record';
import { canMix, type Binding } from '../registrar/location-service';
import type { InviteServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import { CallDialog, type DialogSide } from '../dialogs/call-dialog';
import { byeOnBehalf } from './edge-requests';
import { startOutOfDialog } from './identity';
import { callerSideOf, partyOf } from './call-parties';
import type { InviteProxy } from './invite-proxy';

/** What a mode change in a monitor dialog comes to: refused, or forwarded with the edge's mark. */
/** The agent's side of a live call, and the binding (phone) it is on. */
type AgentOnCall = { dialog: CallDialog; side: DialogSide; binding: Binding | undefined };

/**
 * Monitor sessions: an operator's INVITE marked with a mode becomes, once policy allows it, a
 * dialog from the operator to the agent's phone that is on the call (never forked to the agent's
 * other devices), carrying the edge's own mark. Mode changes (INFO) are checked again; the
 * monitored call ending ends the session. Refusals are answered with the policy's sentence and
 * written to the audit log.
 */
export class MonitorSessions {
  constructor(
    private readonly context: EdgeContext,
    private readonly invites: InviteProxy,
    private readonly db: Db,
  ) {}

  async handleInvite(
    request: SipRequest,
    transaction: InviteServerTransaction,
    connection: SipConnection,
  ): Promise<void> {
    const { context } = this;
    const start = await startOutOfDialog(context, request, transaction, connection);
    if (!start || transaction.state !== 'proceeding') return;
    const { sender: operator, fromTag, target, addressed: agent } = start;
    const mark = parseMonitorMark(request.headers.get(MONITOR_HEADER));
    if (!mark) return reply(transaction, 400, 'Say how to monitor: listen, whisper or barge');
    if (!agent) return reply(transaction, 404, `Nobody has the number or name ${target ?? ''}`);

    const onCall = this.#agentOnCall(agent.userId, mark.call);
    const decision = canMonitor(
      await this.#operatorOf(operator),
      await this.#agentOf(agent, operator, onCall),
      mark.mode,
    );
    if (transaction.state !== 'proceeding' || connection.closed) return;
    if (!decision.allowed || !onCall?.binding) {
      const reason = decision.allowed ? `${agent.displayName} is not on a call` : decision.reason;
      this.#auditRefusal(operator, agent, mark.mode, reason, onCall);
      return reply(transaction, 403, reason);
    }

    const { dialog: monitored, binding } = onCall;
    const record = monitoringRecord({
      db: this.db,
      events: context.events,
      target: monitored.record,
      operator: { id: operator.userId, username: operator.username },
      agent: { userId: agent.userId, username: agent.username },
      mode: mark.mode,
    });
    const dialog = new CallDialog({
      callId: callIdOf(request),
      caller: callerSideOf(request, operator, connection, fromTag),
      fromHeader: request.headers.get('from') ?? '',
      toHeader: request.headers.get('to') ?? '',
      // A monitor session takes no channel: it is not a call of either profile.
      callerProfileId: null,
      calleeProfileId: null,
      record,
      parties: { caller: partyOf(operator), callee: partyOf(agent) },
      monitor: { target: monitored, mode: mark.mode, transaction, record },
    });
    const forwardedMark = formatMonitorMark({
      mode: mark.mode,
      callId: monitored.callId,
      by: operator.displayName,
    });
    this.invites.forward(request, transaction, connection, dialog, [binding], forwardedMark);
  }

  /**
   * An INFO in a monitor dialog: from the operator with a mark, a mode change checked like a new
   * session; anything else is not ours (null: forwarded as usual, any mark stripped).
   */
  async modeChange(dialog: CallDialog, sender: DialogSide, request: SipRequest): Promise<ModeChange | null> {
    const leg = dialog.monitor;
    if (!leg || request.method !== 'INFO' || sender !== dialog.caller) return null;
    const mark = parseMonitorMark(request.headers.get(MONITOR_HEADER));
    if (!mark) return null;
    const { context } = this;
    const [operator, agent] = await Promise.all([
      context.accounts.byUsername(dialog.caller.username),
      context.accounts.byUsername(dialog.parties.callee.username),
    ]);
    if (!operator || !agent) return { allowed: false, reason: 'That user no longer exists' };
    const target = leg.target;
    const onCall = this.#agentOnCall(agent.userId, null, target);
    const decision = canMonitor(
      await this.#operatorOf(operator),
      await this.#agentOf(agent, operator, onCall),
      mark.mode,
    );
    if (!decision.allowed) {
      this.#auditRefusal(operator, agent, mark.mode, decision.reason, onCall);
      return decision;
    }
    return {
      allowed: true,
      mark: formatMonitorMark({ mode: mark.mode }),
      apply: () => {
        if (!dialog.active || leg.mode === mark.mode) return;
        leg.mode = mark.mode;
        leg.record.changed(mark.mode);
        context.dialogs.changed(dialog);
        context.dialogs.changed(target);
      },
    };
  }

  /** A call ended: its monitor sessions end with it. */
  callEnded(call: CallDialog): void {
    if (call.monitor) return;
    for (const session of this.context.dialogs.monitorsOf(call))
      this.#end(session, 'The monitored call ended');
  }

  /**
   * Users, profiles or groups changed: every running session is checked again in its mode, and
   * one no longer allowed (the operator lost the flag, the agent left the barge group…) ends, both
   * sides told why.
   */
  async recheck(): Promise<void> {
    const { context } = this;
    const sessions = context.dialogs.all().filter((dialog) => dialog.monitor && dialog.active);
    for (const session of sessions) {
      const leg = session.monitor;
      if (!leg) continue;
      const [operator, agent] = await Promise.all([
        context.accounts.byUsername(session.caller.username),
        context.accounts.byUsername(session.parties.callee.username),
      ]);
      if (!session.active) continue;
      if (!operator || !agent) {
        this.#end(session, 'That user no longer exists');
        continue;
      }
      const onCall = this.#agentOnCall(agent.userId, null, leg.target);
      const decision = canMonitor(
        await this.#operatorOf(operator),
        await this.#agentOf(agent, operator, onCall),
        leg.mode,
      );
      if (!decision.allowed && session.active) this.#end(session, decision.reason);
    }
  }

  /** Ends a monitor session: BYE to both sides once answered, else the INVITE is cancelled. */
  #end(session: CallDialog, reason: string): void {
    const { context } = this;
    if (!session.active) return;
    if (session.state === 'answered') {
      const header = `SIP;cause=200;text="${reason.replace(/["\\]/g, "'")}"`;
      byeOnBehalf(context, session, session.caller, header);
      if (session.callee) byeOnBehalf(context, session, session.callee, header);
      context.dialogs.end(session, 'answered', reason);
      return;
    }
    const cancel = session.monitor && context.cancellables.get(session.monitor.transaction);
    if (cancel) cancel();
    else context.dialogs.end(session, 'failed', reason);
  }

  /** The agent's answered call (the named one, or else their newest), its side and the phone on it. */
  #agentOnCall(userId: number, dialogId: string | null, only?: CallDialog): AgentOnCall | null {
    const { context } = this;
    const candidates = (only ? [only] : context.dialogs.all())
      .filter((dialog) => dialog.active && dialog.state === 'answered' && !dialog.monitor)
      .filter((dialog) => dialogId === null || dialog.id === dialogId)
      .filter((dialog) => dialog.caller.userId === userId || dialog.callee?.userId === userId)
      .sort((a, b) => (b.answeredAt?.getTime() ?? 0) - (a.answeredAt?.getTime() ?? 0));
    const dialog = candidates[0];
    if (!dialog) return null;
    const side = dialog.caller.userId === userId ? dialog.caller : dialog.callee;
    if (!side) return null;
    const connection = side.connection;
    const binding = connection
      ? context.location.ofConnection(connection.id).find((b) => b.userId === userId)
      : undefined;
    return { dialog, side, binding };
  }

  async #operatorOf(account: SipAccount): Promise<MonitoringOperator> {
    const profile = account.profile;
    return {
      userId: account.userId,
      role: account.role,
      signedIn: await this.context.sessions.hasLiveSession(account.userId),
      profile: profile ? { name: profile.name, flags: profile.flags, bargeGroup: profile.bargeGroup } : null,
    };
  }

  async #agentOf(
    agent: SipAccount,
    operator: SipAccount,
    onCall: AgentOnCall | null,
  ): Promise<MonitoredAgent> {
    const group = operator.profile?.bargeGroup ?? null;
    return {
      userId: agent.userId,
      displayName: agent.displayName,
      role: agent.role,
      inBargeGroup: group !== null && (await this.context.accounts.isMember(group, agent.userId)),
      onCall: onCall !== null,
      canMix: onCall?.binding ? canMix(onCall.binding) : false,
    };
  }

  #auditRefusal(
    operator: SipAccount,
    agent: SipAccount,
    mode: MonitorMode,
    reason: string,
    onCall: AgentOnCall | null,
  ): void {
    const { context } = this;
    context.recorder.background('a monitor refusal to the audit log', async () => {
      const recordId = onCall ? await onCall.dialog.record.id : null;
      await appendAudit(
        this.db,
        { id: operator.userId, username: operator.username },
        {
          action: 'monitor.refused',
          entity: 'call',
          entityId: recordId,
          after: { agent: agent.username, mode, reason },
        },
      );
      context.events.publish({ entity: 'audit', id: null });
    });
  }
}
