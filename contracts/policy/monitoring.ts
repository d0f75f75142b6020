import type { MonitorMode } from '../calls';
import type { Flag } from '../profiles';
import { roleAtLeast, roles, type Role } from '../roles';
import { allow, refuse, type Decision } from './decision';

/** The person asking to monitor, as policy sees them. */
export type MonitoringOperator = {
  userId: number;
  role: Role;
  /** Signed in to the web app right now (monitoring is a console feature). */
  signedIn: boolean;
  profile: { name: string; flags: readonly Flag[]; bargeGroup: string | null } | null;
};

/** The agent whose call would be monitored. */
export type MonitoredAgent = {
  userId: number;
  displayName: string;
  role: Role;
  /** Member of the operator's barge group. */
  inBargeGroup: boolean;
  /** On an answered call (the one to monitor). */
  onCall: boolean;
  /** The phone on that call said in its REGISTER that it can mix a monitor session. */
  canMix: boolean;
};

/**
 * May the operator start (or switch to) this mode on the agent's call? Checked by the SIP edge
 * on the monitor INVITE and on every mode change, and by the operator panel to say why not.
 */
export function canMonitor(operator: MonitoringOperator, agent: MonitoredAgent, mode: MonitorMode): Decision {
  const decision = canMonitorAnyone(operator, mode);
  if (!decision.allowed) return decision;
  const group = operator.profile?.bargeGroup ?? '';
  if (agent.userId === operator.userId) return refuse('You cannot monitor your own calls');
  const rank = canMonitorMember(operator.role, agent);
  if (!rank.allowed) return rank;
  if (!agent.inBargeGroup) return refuse(`${agent.displayName} is not in your barge group ${group}`);
  if (!agent.onCall) return refuse(`${agent.displayName} is not on a call`);
  if (!agent.canMix)
    return refuse(
      `${agent.displayName}'s phone cannot mix a monitor session (it needs the Switchboard phone)`,
    );
  return allow;
}

/** What depends only on the operator: role, session, profile flag and barge group. */
export function canMonitorAnyone(operator: MonitoringOperator, mode: MonitorMode): Decision {
  if (!roleAtLeast(operator.role, 'operator'))
    return refuse('Monitoring calls needs the operator role or higher');
  if (!operator.signedIn) return refuse('You are signed out; sign in to Switchboard to monitor calls');
  const profile = operator.profile;
  if (!profile) return refuse('You have no SIP profile; ask an administrator to give you one');
  if (!profile.flags.includes(mode)) return refuse(`Your profile does not allow ${mode}`);
  if (!profile.bargeGroup) return refuse('Your profile has no barge group, so there are no calls to monitor');
  return allow;
}

/**
 * Monitoring reaches only down the roles: an operator monitors agents, a supervisor agents and
 * operators, an admin agents, operators and supervisors. Nobody monitors a higher role, nor one
 * of their own rank (two admins do not listen to each other), whatever a group says.
 */
export function canMonitorRole(monitor: Role, monitored: Role): boolean {
  return !roleAtLeast(monitored, monitor);
}

/** The roles `monitor` may monitor, lowest first. */
function monitorableRoles(monitor: Role): Role[] {
  return roles.filter((role) => canMonitorRole(monitor, role));
}

const withArticle = (role: Role) => `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;

function listOf(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

/**
 * Whether someone of `monitorRole` may monitor this person at all, by role alone: checked when a
 * member joins a barge group, by the edge on every monitor request and mode change, and by the
 * operator panel for each member.
 */
export function canMonitorMember(monitorRole: Role, member: { displayName: string; role: Role }): Decision {
  if (canMonitorRole(monitorRole, member.role)) return allow;
  const reachable = monitorableRoles(monitorRole).map((role) => `${role}s`);
  return refuse(
    reachable.length === 0
      ? `${member.displayName} is ${withArticle(member.role)}; ${withArticle(monitorRole)} may monitor nobody`
      : `${member.displayName} is ${withArticle(member.role)}; ${withArticle(monitorRole)} may monitor only ${listOf(reachable)}`,
  );
}
