import { describe, expect, it } from 'vitest';
import { canCallNumber, normaliseDialled } from './outbound-dialing';

describe('normaliseDialled', () => {
  it.each([
    ['+49 30 1234567', '49', '+49301234567', 'national'],
    ['0049 (30) 123-4567', '1', '+49301234567', 'international'],
    ['030 1234567', '49', '+49301234567', 'national'],
    ['2125551234', '1', '+12125551234', 'national'],
    ['12125551234', '1', '+12125551234', 'national'],
    ['+44 20 7946 0958', '49', '+442079460958', 'international'],
  ])('%s in +%s is %s (%s)', (dialled, cc, e164, scope) => {
    expect(normaliseDialled(dialled, cc)).toEqual({ e164, scope });
  });

  it.each(['1001', 'alice', '', '+', '+0301234567', '00', '0', '12345', '+1234567890123456', 'sip:bob'])(
    '%j is no phone number',
    (dialled) => {
      expect(normaliseDialled(dialled, '49')).toBeNull();
    },
  );
});

describe('canCallNumber', () => {
  const national = { e164: '+49301234567', scope: 'national' } as const;
  const international = { e164: '+442079460958', scope: 'international' } as const;

  it('needs external for national and international for other countries', () => {
    expect(canCallNumber({ flags: ['call', 'external'] }, national)).toEqual({ allowed: true });
    expect(canCallNumber({ flags: ['call', 'external'] }, international)).toEqual({
      allowed: false,
      reason: 'Your profile does not allow international calls (+442079460958)',
    });
    expect(canCallNumber({ flags: ['call', 'international'] }, international)).toEqual({ allowed: true });
    expect(canCallNumber({ flags: ['call'] }, national)).toEqual({
      allowed: false,
      reason: 'Your profile does not allow calls to outside numbers (+49301234567)',
    });
  });

  it('needs call and a profile first', () => {
    expect(canCallNumber({ flags: ['external', 'international'] }, national).allowed).toBe(false);
    expect(canCallNumber(null, national).allowed).toBe(false);
  });
});
