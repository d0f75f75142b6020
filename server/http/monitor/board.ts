import { monitorModes, type MonitorMode } from '../../../contracts/calls';
import type { BoardMember, LiveCall, MonitorBoard, MonitorChecks } from '../../../contracts/monitor';
import type { Role } from '../../../contracts/roles';
import {
  canMonitor,
  canMonitorAnyone,
  canMonitorMember,
  type MonitoringOperator,
} from '../../../contracts/policy/monitoring';
import type { LiveDialog, SipControl } from '../../sip/sip-control';

type Member = { id: number; username: string; displayName: string; extension: string; role: Role };

function checksFor(
  operator: MonitoringOperator,
  member: Member,
  answered: boolean,
  canMix: boolean,
): MonitorChecks {
  const agent = {
    userId: member.id,
    displayName: member.displayName,
    role: member.role,
    inBargeGroup: true,
    onCall: answered,
    canMix,
  };
  const check = (mode: MonitorMode) => {
    const decision = canMonitor(operator, agent, mode);
    return decision.allowed ? null : decision.reason;
  };
  return { listen: check('listen'), whisper: check('whisper'), barge: check('barge') };
}

function liveCall(
  operator: MonitoringOperator,
  member: Member,
  dialog: LiveDialog,
  monitors: LiveDialog[],
  canMix: boolean,
): LiveCall {
  const outgoing = dialog.caller.userId === member.id;
  const peer = outgoing ? dialog.callee : dialog.caller;
  const answered = dialog.state === 'answered';
  return {
    dialogId: dialog.id,
    direction: outgoing ? 'outgoing' : 'incoming',
    state: answered ? 'answered' : 'ringing',
    peer: { name: peer.displayName, number: peer.extension },
    since: (dialog.answeredAt ?? dialog.startedAt).toISOString(),
    monitors: monitors
      .filter((m) => m.monitor?.targetId === dialog.id && m.state === 'answered')
      // An operator (a user) places every monitor session; only trunk customers have no id.
      .flatMap((m) => (m.caller.userId === null ? [] : [{ ...m, byUserId: m.caller.userId }]))
      .map((m) => ({
        byUserId: m.byUserId,
        byUsername: m.caller.username,
        byName: m.caller.displayName,
        mode: m.monitor?.mode ?? 'listen',
        since: (m.answeredAt ?? m.startedAt).toISOString(),
      })),
    checks: checksFor(operator, member, answered, canMix),
  };
}

/**
 * The operator panel's board: each member of the barge group with where they are and their live
 * calls, and per call and mode whether the operator may monitor it now (the edge's own policy).
 */
export function buildBoard(input: {
  operator: MonitoringOperator;
  /** The operator's barge group with its members; null when the profile has none (or it is gone). */
  group: { id: number; name: string; members: Member[] } | null;
  sip: Pick<SipControl, 'liveDialogs' | 'phonesOf'>;
}): MonitorBoard {
  const { operator, group, sip } = input;
  const modes = {
    listen: operator.profile?.flags.includes('listen') ?? false,
    whisper: operator.profile?.flags.includes('whisper') ?? false,
    barge: operator.profile?.flags.includes('barge') ?? false,
  };
  const allowedMode = monitorModes.find((mode) => modes[mode]);
  const anyone = allowedMode ? canMonitorAnyone(operator, allowedMode) : null;
  const notice =
    operator.profile && !allowedMode
      ? 'Your profile allows no monitoring (listen, whisper or barge); ask a supervisor.'
      : anyone && !anyone.allowed
        ? anyone.reason
        : group
          ? null
          : 'Your profile has no barge group, so there are no calls to monitor.';
  if (!group) return { group: null, modes, notice, members: [] };

  const dialogs = sip.liveDialogs();
  const calls = dialogs.filter((d) => d.monitor === null);
  const monitors = dialogs.filter((d) => d.monitor !== null);
  const members: BoardMember[] = group.members.map((member) => {
    const phones = sip.phonesOf(member.id);
    const own = calls
      .filter((d) => d.caller.userId === member.id || d.callee.userId === member.id)
      .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
    const live = own.map((d) => liveCall(operator, member, d, monitors, phones.canMix));
    const state = live.some((c) => c.state === 'answered')
      ? 'on_call'
      : live.length > 0
        ? 'ringing'
        : phones.registered
          ? 'available'
          : 'offline';
    const rank =
      member.id === operator.userId
        ? ({ allowed: false, reason: 'You cannot monitor your own calls' } as const)
        : canMonitorMember(operator.role, member);
    return {
      userId: member.id,
      username: member.username,
      displayName: member.displayName,
      extension: member.extension,
      state,
      canMix: phones.canMix,
      cannotMonitor: rank.allowed ? null : rank.reason,
      calls: live,
    };
  });
  return { group: { id: group.id, name: group.name }, modes, notice, members };
}
