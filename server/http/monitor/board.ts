import type { BoardMember, LiveCall, MonitorBoard } from '../../../contracts/monitor';
import type { Role } from '../../../contracts/roles';
import { boardModes, boardNotice, callChecks, memberRefusal } from '../../../contracts/policy/monitor-board';
import type { MonitoringOperator } from '../../../contracts/policy/monitoring';
import type { LiveDialog, SipControl } from '../../sip/sip-control';

type Member = { id: number; username: string; displayName: string; extension: string; role: Role };

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
    checks: callChecks(operator, member, answered, canMix),
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
  const modes = boardModes(operator);
  const notice = boardNotice(operator, group !== null);
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
    return {
      userId: member.id,
      username: member.username,
      displayName: member.displayName,
      extension: member.extension,
      state,
      canMix: phones.canMix,
      cannotMonitor: memberRefusal(operator, member),
      calls: live,
    };
  });
  return { group: { id: group.id, name: group.name }, modes, notice, members };
}
