import { describe, expect, it } from 'vitest';
import { canPlaceCall, canTakeSeat, canTransfer } from './call-admission';
import { presentNumber } from './call-list-privacy';
import {
  callListScope,
  canChangeMembership,
  canChangeProfile,
  requireRole,
  type Actor,
} from './console-access';

const actor = (
  role: Actor['role'],
  profileId: number | null = 1,
  bargeGroup: string | null = null,
): Actor => ({
  id: 7,
  role,
  profileId,
  bargeGroup,
});

describe('console access', () => {
  it('orders roles agent < operator < supervisor < admin', () => {
    expect(requireRole(actor('agent'), 'operator')).toEqual({
      allowed: false,
      reason: 'This needs the operator role or higher; you are signed in as an agent.',
    });
    expect(requireRole(actor('supervisor'), 'operator').allowed).toBe(true);
    expect(requireRole(actor('supervisor'), 'admin').allowed).toBe(false);
    expect(requireRole(actor('admin'), 'admin').allowed).toBe(true);
  });

  it('keeps a supervisor off their own profile but lets an admin change theirs', () => {
    expect(canChangeProfile(actor('supervisor', 3), 3)).toEqual({
      allowed: false,
      reason: 'A supervisor may not change the profile they are on; ask an admin.',
    });
    expect(canChangeProfile(actor('supervisor', 3), 4).allowed).toBe(true);
    expect(canChangeProfile(actor('admin', 3), 3).allowed).toBe(true);
    expect(canChangeProfile(actor('operator', 3), 4).allowed).toBe(false);
  });

  it('lets operators change only their barge group', () => {
    expect(canChangeMembership(actor('operator', 2, 'floor_1'), 'floor_1').allowed).toBe(true);
    const other = canChangeMembership(actor('operator', 2, 'floor_1'), 'floor_2');
    expect(other.allowed).toBe(false);
    expect(!other.allowed && other.reason).toContain('floor_1');
    expect(canChangeMembership(actor('operator', 2, null), 'floor_1').allowed).toBe(false);
    expect(canChangeMembership(actor('agent', 2, 'floor_1'), 'floor_1').allowed).toBe(false);
    expect(canChangeMembership(actor('supervisor', 2, null), 'floor_9').allowed).toBe(true);
  });

  it('scopes call lists to the person below supervisor', () => {
    expect(callListScope(actor('agent'))).toBe('own');
    expect(callListScope(actor('operator'))).toBe('own');
    expect(callListScope(actor('supervisor'))).toBe('all');
  });
});

describe('call admission', () => {
  const agents = { name: 'agents', flags: ['call' as const], channelLimit: 12, channelsInUse: 3 };

  it('refuses a profile without call, with the sentence the phone shows', () => {
    expect(canPlaceCall({ ...agents, flags: [] }, null)).toEqual({
      allowed: false,
      reason: 'Your profile does not allow outgoing calls',
    });
  });

  it('refuses when either profile has no channel left', () => {
    expect(canPlaceCall({ ...agents, channelsInUse: 12 }, null)).toEqual({
      allowed: false,
      reason: 'All 12 channels of profile agents are in use',
    });
    const full = { name: 'night', flags: [], channelLimit: 2, channelsInUse: 2 };
    expect(canPlaceCall(agents, full)).toEqual({
      allowed: false,
      reason: 'All 2 channels of profile night are in use',
    });
    expect(canPlaceCall(agents, { ...full, channelsInUse: 1 }).allowed).toBe(true);
  });

  it('counts seats against capacity', () => {
    expect(canTakeSeat({ capacity: 5, seatsInUse: 4 }).allowed).toBe(true);
    expect(canTakeSeat({ capacity: 5, seatsInUse: 5 })).toEqual({
      allowed: false,
      reason: 'Profile capacity reached (5 of 5 signed in)',
    });
  });
});

describe('transfer', () => {
  it('needs the transfer flag on a profile', () => {
    expect(canTransfer({ flags: ['call', 'transfer'] }).allowed).toBe(true);
    const refused = { allowed: false, reason: 'Your profile does not allow transferring calls' };
    expect(canTransfer({ flags: ['call'] })).toEqual(refused);
    expect(canTransfer(null)).toEqual(refused);
  });
});

describe('call-list privacy', () => {
  it('shows, masks or hides a number', () => {
    expect(presentNumber('1002', 'complete')).toBe('1002');
    expect(presentNumber('1002', 'shortened')).toBe('10••');
    expect(presentNumber('+4930123456', 'shortened')).toBe('+493012••••');
    expect(presentNumber('1002', 'none')).toBe('hidden');
  });
});
