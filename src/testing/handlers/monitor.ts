import { http, HttpResponse } from 'msw';
import {
  monitorModes,
  type BoardMember,
  type LiveCall,
  type MonitorBoard,
  type MonitorChecks,
  type MonitorMode,
} from '../../../contracts/monitor';
import type { GroupMember } from '../../../contracts/groups';
import { roleAtLeast, roles, type Role } from '../../../contracts/roles';
import type { Me } from '../../../contracts/users';
import type { DemoPhone } from '../demo-data';
import { fakeDb } from '../fake-db';
import { fakeSession } from '../fake-session';
import { apiError } from './api-errors';

type Modes = MonitorBoard['modes'];

/** What the signed-in person's profile allows, read from the fake database (it may have changed). */
function modesOf(me: Me): Modes {
  const profile = fakeDb.state.profiles.find((candidate) => candidate.id === me.user.profileId);
  const flags = profile?.flags ?? [];
  return {
    listen: flags.includes('listen'),
    whisper: flags.includes('whisper'),
    barge: flags.includes('barge'),
  };
}

function checksFor(call: DemoPhone['calls'][number], phone: DemoPhone, name: string, modes: Modes) {
  const check = (mode: MonitorMode): string | null => {
    if (!modes[mode]) return `Your profile does not allow ${mode}.`;
    if (call.state !== 'answered') return `${name} has not answered this call yet.`;
    if (!phone.canMix) return `${name}'s phone cannot mix a monitor session.`;
    return null;
  };
  return Object.fromEntries(monitorModes.map((mode) => [mode, check(mode)])) as MonitorChecks;
}

const withArticle = (role: Role) => `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;

/** Why `me` may not monitor this person at all (monitoring reaches only down the roles), as the server says it. */
export function cannotMonitor(me: Me, member: { id: number; displayName: string }): string | null {
  if (member.id === me.user.id) return 'You cannot monitor your own calls';
  const role = fakeDb.state.users.find((user) => user.id === member.id)?.role ?? 'agent';
  if (!roleAtLeast(role, me.user.role)) return null;
  const below = roles.filter((candidate) => !roleAtLeast(candidate, me.user.role)).map((r) => `${r}s`);
  const list = below.length > 1 ? `${below.slice(0, -1).join(', ')} and ${below.at(-1)}` : below.join('');
  return `${member.displayName} is ${withArticle(role)}; ${withArticle(me.user.role)} may monitor only ${list}`;
}

function memberOf(member: GroupMember, modes: Modes, me: Me): BoardMember {
  const refusal = cannotMonitor(me, member);
  const phone = fakeDb.state.phones.find((candidate) => candidate.userId === member.id);
  const calls: LiveCall[] = phone
    ? phone.calls.map((call) => ({
        ...call,
        checks: refusal
          ? { listen: refusal, whisper: refusal, barge: refusal }
          : checksFor(call, phone, member.displayName, modes),
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
    const me = fakeSession.current();
    if (!me) return apiError(401, { code: 'unauthenticated', message: 'Sign in to continue.' });
    const modes = modesOf(me);
    const profile = fakeDb.state.profiles.find((candidate) => candidate.id === me.user.profileId);
    const group = profile?.bargeGroup
      ? fakeDb.state.groups.find((candidate) => candidate.name === profile.bargeGroup)
      : undefined;
    const notice = !profile
      ? 'You have no SIP profile, so you cannot monitor calls.'
      : !group
        ? `Your profile ${profile.name} has no barge group, so there is nobody to monitor.`
        : !monitorModes.some((mode) => modes[mode])
          ? `Your profile ${profile.name} allows none of listen, whisper and barge.`
          : null;
    return HttpResponse.json<MonitorBoard>({
      group: group ? { id: group.id, name: group.name } : null,
      modes,
      notice,
      members: group ? group.members.map((member) => memberOf(member, modes, me)) : [],
    });
  }),
];
