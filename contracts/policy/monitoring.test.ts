import { describe, expect, it } from 'vitest';
import type { Role } from '../roles';
import { canMonitor, canMonitorRole, type MonitoredAgent, type MonitoringOperator } from './monitoring';

const operator: MonitoringOperator = {
  userId: 4,
  role: 'operator',
  signedIn: true,
  profile: { name: 'operators', flags: ['call', 'listen', 'whisper', 'barge'], bargeGroup: 'floor_1' },
};
const agent: MonitoredAgent = {
  userId: 1,
  displayName: 'Agent One',
  role: 'agent',
  inBargeGroup: true,
  onCall: true,
  canMix: true,
};

const reason = (o: Partial<MonitoringOperator>, a: Partial<MonitoredAgent>, mode = 'listen' as const) => {
  const decision = canMonitor({ ...operator, ...o }, { ...agent, ...a }, mode);
  return decision.allowed ? null : decision.reason;
};

describe('monitoring policy', () => {
  it('allows each mode the profile has, on a mixing phone of the barge group that is on a call', () => {
    for (const mode of ['listen', 'whisper', 'barge'] as const)
      expect(canMonitor(operator, agent, mode)).toEqual({ allowed: true });
  });

  it('refuses with a sentence for each missing condition, the operator’s own first', () => {
    expect(reason({ role: 'agent' }, {})).toBe('Monitoring calls needs the operator role or higher');
    expect(reason({ signedIn: false }, {})).toBe(
      'You are signed out; sign in to Switchboard to monitor calls',
    );
    expect(reason({ profile: null }, {})).toMatch(/no SIP profile/);
    expect(
      canMonitor({ ...operator, profile: { ...operator.profile!, flags: ['listen'] } }, agent, 'barge'),
    ).toEqual({ allowed: false, reason: 'Your profile does not allow barge' });
    expect(reason({ profile: { ...operator.profile!, bargeGroup: null } }, {})).toMatch(/no barge group/);
    expect(reason({}, { userId: 4 })).toBe('You cannot monitor your own calls');
    expect(reason({}, { inBargeGroup: false })).toBe('Agent One is not in your barge group floor_1');
    expect(reason({}, { onCall: false })).toBe('Agent One is not on a call');
    expect(reason({}, { canMix: false })).toMatch(/^Agent One's phone cannot mix/);
    // Several missing: the first that the operator can act on is named.
    expect(reason({}, { inBargeGroup: false, onCall: false, canMix: false })).toMatch(
      /not in your barge group/,
    );
  });

  it('lets supervisors and admins monitor as their profile allows', () => {
    expect(reason({ role: 'supervisor' }, {})).toBeNull();
    expect(reason({ role: 'admin' }, {})).toBeNull();
  });

  it('reaches only down: nobody monitors a higher or an equal role, whatever the group says', () => {
    const allowed: Record<Role, Role[]> = {
      agent: [],
      operator: ['agent'],
      supervisor: ['agent', 'operator'],
      admin: ['agent', 'operator', 'supervisor'],
    };
    for (const monitor of Object.keys(allowed) as Role[])
      for (const monitored of Object.keys(allowed) as Role[])
        expect(canMonitorRole(monitor, monitored), `${monitor} → ${monitored}`).toBe(
          allowed[monitor].includes(monitored),
        );
  });

  it('refuses a higher or equal role with a sentence naming the person, before the call checks', () => {
    expect(reason({}, { role: 'admin', displayName: 'Ada Admin', onCall: false })).toBe(
      'Ada Admin is an admin; an operator may monitor only agents',
    );
    expect(reason({}, { role: 'operator', displayName: 'Otto' })).toBe(
      'Otto is an operator; an operator may monitor only agents',
    );
    expect(reason({ role: 'supervisor' }, { role: 'supervisor', displayName: 'Sue' })).toBe(
      'Sue is a supervisor; a supervisor may monitor only agents and operators',
    );
    expect(reason({ role: 'admin' }, { role: 'admin', displayName: 'Al' })).toBe(
      'Al is an admin; an admin may monitor only agents, operators and supervisors',
    );
    expect(reason({ role: 'supervisor' }, { role: 'operator' })).toBeNull();
    expect(reason({ role: 'admin' }, { role: 'supervisor' })).toBeNull();
    // The barge group does not make a higher role monitorable, and the role is named first.
    expect(reason({}, { role: 'supervisor', inBargeGroup: false, displayName: 'Sue' })).toMatch(
      /^Sue is a supervisor/,
    );
  });
});
