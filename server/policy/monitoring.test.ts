import { describe, expect, it } from 'vitest';
import { canMonitor, type MonitoredAgent, type MonitoringOperator } from './monitoring';

const operator: MonitoringOperator = {
  userId: 4,
  role: 'operator',
  signedIn: true,
  profile: { name: 'operators', flags: ['call', 'listen', 'whisper', 'barge'], bargeGroup: 'floor_1' },
};
const agent: MonitoredAgent = {
  userId: 1,
  displayName: 'Agent One',
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
});
