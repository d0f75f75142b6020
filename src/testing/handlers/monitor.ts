import { http, HttpResponse } from 'msw';
import type { BoardMember, LiveCall, MonitorBoard } from '../../../contracts/monitor';
import type { GroupMember } from '../../../contracts/groups';
import { boardModes, boardNotice, callChecks, memberRefusal } from '../../../contracts/policy/monitor-board';
import type { MonitoringOperator } from '../../../contracts/policy/monitoring';
import type { Me } from '../../../contracts/users';
import { fakeDb } from '../fake-db';
import { signedInAtLeast } from './roles';

/** The signed-in person as the monitoring policy sees them, their profile read from the fake database (it may have changed). */
function operatorOf(me: Me): MonitoringOperator {
  const profile = fakeDb.state.profiles.find((candidate) => candidate.id === me.user.profileId);
  return {
    userId: me.user.id,
    role: me.user.role,
    signedIn: true,
    profile: profile ? { name: profile.name, flags: profile.flags, bargeGroup: profile.bargeGroup } : null,
  };
}

/** A group member with the role the fake database gives them. */
function personOf(member: { id: number; displayName: string }) {
  const role = fakeDb.state.users.find((user) => user.id === member.id)?.role ?? 'agent';
  return { id: member.id, displayName: member.displayName, role };
}

/** Why `me` may not monitor this person at all, in the server's words (contracts/policy/monitor-board.ts). */
export function cannotMonitor(me: Me, member: { id: number; displayName: string }): string | null {
  return memberRefusal(operatorOf(me), personOf(member));
}

function memberOf(member: GroupMember, operator: MonitoringOperator): BoardMember {
  const person = personOf(member);
  const refusal = memberRefusal(operator, person);
  const phone = fakeDb.state.phones.find((candidate) => candidate.userId === member.id);
  const calls: LiveCall[] = phone
    ? phone.calls.map((call) => ({
        ...call,
        checks: refusal
          ? { listen: refusal, whisper: refusal, barge: refusal }
          : callChecks(operator, person, call.state === 'answered', phone.canMix),
      }))
    : [];
  const state = !phone
    ? 'offline'
    : calls.some((call) => call.state === 'answered')
      ? 'on_call'
      : calls.length > 0
        ? 'ringing'
        : 'available';
  return {
    userId: member.id,
    username: member.username,
    displayName: member.displayName,
    extension: member.extension,
    state,
    canMix: phone?.canMix ?? false,
    cannotMonitor: refusal,
    calls,
  };
}

export const monitorHandlers = [
  http.get('/api/monitor/board', () => {
    const { me, refused } = signedInAtLeast('operator');
    if (refused) return refused;
    const operator = operatorOf(me);
    const bargeGroup = operator.profile?.bargeGroup;
    const group = bargeGroup
      ? fakeDb.state.groups.find((candidate) => candidate.name === bargeGroup)
      : undefined;
    return HttpResponse.json<MonitorBoard>({
      group: group ? { id: group.id, name: group.name } : null,
      modes: boardModes(operator),
      notice: boardNotice(operator, group !== undefined),
      members: group ? group.members.map((member) => memberOf(member, operator)) : [],
    });
  }),
];
