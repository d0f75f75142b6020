import { describe, expect, it } from 'vitest';
import { fromCarrierFormat, toCarrierFormat } from './number-format';

const national = { kind: 'national', stripPrefix: '+49', nationalPrefix: '0' } as const;

describe('toCarrierFormat', () => {
  it('keeps E.164 for e164 carriers', () => {
    expect(toCarrierFormat('+49301234567', { kind: 'e164' })).toBe('+49301234567');
  });
  it('strips the country code for national carriers, keeps other countries in E.164', () => {
    expect(toCarrierFormat('+49301234567', national)).toBe('0301234567');
    expect(toCarrierFormat('+442079460958', national)).toBe('+442079460958');
  });
});

describe('fromCarrierFormat', () => {
  it('reads E.164 and 00-prefixed numbers as they are', () => {
    expect(fromCarrierFormat('+49301234567', national, '1')).toBe('+49301234567');
    expect(fromCarrierFormat('0049301234567', { kind: 'e164' }, '1')).toBe('+49301234567');
  });
  it("reads national numbers with the trunk's prefixes", () => {
    expect(fromCarrierFormat('0301234567', national, '1')).toBe('+49301234567');
  });
  it("falls back on the deployment's country code", () => {
    expect(fromCarrierFormat('2125551234', { kind: 'e164' }, '1')).toBe('+12125551234');
    expect(fromCarrierFormat('030 1234567', { kind: 'e164' }, '49')).toBe('+49301234567');
  });
  it('refuses what is no number', () => {
    expect(fromCarrierFormat('anonymous', national, '49')).toBeNull();
    expect(fromCarrierFormat('12', national, '49')).toBeNull();
  });
});
