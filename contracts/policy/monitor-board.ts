import { monitorModes, type MonitorMode } from '../calls';
import type { MonitorBoard, MonitorChecks } from '../monitor';
import type { Role } from '../roles';
import { canMonitor, canMonitorAnyone, canMonitorMember, type MonitoringOperator } from './monitoring';

/** A barge group member as the operator board sees them. */
export type BoardPerson = { id: number; displayName: string; role: Role };

/** Which monitor modes the operator's profile allows. */
export function boardModes(operator: MonitoringOperator): MonitorBoard['modes'] {
  const flags = operator.profile?.flags ?? [];
  return {
    listen: flags.includes('listen'),
    whisper: flags.includes('whisper'),
    barge: flags.includes('barge'),
  };
}

/**
 * The board's one sentence above the members, or null: why this operator can monitor nobody
 * (no monitor flag, no profile, no barge group), in the monitoring policy's own words.
 */
export function boardNotice(operator: MonitoringOperator, hasGroup: boolean): string | null {
  const modes = boardModes(operator);
  const allowedMode = monitorModes.find((mode) => modes[mode]);
  const anyone = allowedMode ? canMonitorAnyone(operator, allowedMode) : null;
  if (operator.profile && !allowedMode)
    return 'Your profile allows no monitoring (listen, whisper or barge); ask a supervisor.';
  if (anyone && !anyone.allowed) return anyone.reason;
  return hasGroup ? null : 'Your profile has no barge group, so there are no calls to monitor.';
}

/** Why the operator may not monitor this member at all (themself, or not below them), or null. */
export function memberRefusal(operator: MonitoringOperator, member: BoardPerson): string | null {
  if (member.id === operator.userId) return 'You cannot monitor your own calls';
  const rank = canMonitorMember(operator.role, member);
  return rank.allowed ? null : rank.reason;
}

/** Per mode, why the operator may not monitor this member's call now (null when they may). */
export function callChecks(
  operator: MonitoringOperator,
  member: BoardPerson,
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
