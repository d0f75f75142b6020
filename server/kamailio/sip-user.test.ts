import { describe, expect, it } from 'vitest';
import { sipUserOf } from './sip-user';

describe('sipUserOf', () => {
  it('reads the user of the URIs Kamailio reports', () => {
    expect(sipUserOf('sip:agent2@switchboard.local')).toBe('agent2');
    expect(sipUserOf('sip:1002@switchboard.local;transport=ws')).toBe('1002');
    expect(sipUserOf('"Agent Two" <sip:agent%32@switchboard.local>;tag=x')).toBe('agent2');
    expect(sipUserOf('sips:agent1@10.0.0.1:5061')).toBe('agent1');
  });

  it('is null when there is no user or no SIP URI', () => {
    expect(sipUserOf('sip:switchboard.local')).toBeNull();
    expect(sipUserOf('tel:+4930123')).toBeNull();
    expect(sipUserOf('')).toBeNull();
  });
});
