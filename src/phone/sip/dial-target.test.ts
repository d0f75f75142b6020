import { UserAgent } from 'sip.js';
import { describe, expect, it } from 'vitest';
import { dialUriUser, normaliseDialTarget } from './dial-target';

describe('normaliseDialTarget', () => {
  it('drops the separators of a typed or pasted number and keeps its leading +', () => {
    expect(normaliseDialTarget('+49 30 555-000')).toBe('+4930555000');
    expect(normaliseDialTarget(' +1 (555) 010-0199 ')).toBe('+15550100199');
    expect(normaliseDialTarget('(030) 555.000')).toBe('030555000');
    expect(normaliseDialTarget('1002')).toBe('1002');
  });

  it('lower-cases a username and refuses what is neither', () => {
    expect(normaliseDialTarget('Agent1')).toBe('agent1');
    expect(normaliseDialTarget('')).toBeNull();
    expect(normaliseDialTarget('49+30')).toBeNull();
    expect(normaliseDialTarget('- ()')).toBeNull();
    expect(normaliseDialTarget('agent one')).toBeNull();
  });
});

describe('dialUriUser', () => {
  it('gives sip.js a URI it accepts for a number typed with spaces, dashes and brackets', () => {
    const user = dialUriUser('+49 (30) 555-000');
    expect(user).toBe('+4930555000');
    // Typed as it was, the same number is no URI at all.
    expect(UserAgent.makeURI('sip:+49 (30) 555-000@switchboard.local')).toBeUndefined();
    expect(UserAgent.makeURI(`sip:${user}@switchboard.local`)?.user).toBe('+4930555000');
  });

  it('escapes # so that a service code stays one URI user', () => {
    const user = dialUriUser('*98#');
    expect(user).toBe('*98%23');
    expect(UserAgent.makeURI(`sip:${user}@switchboard.local`)?.user).toBe('*98#');
  });

  it('keeps usernames and extensions, and refuses what is neither', () => {
    expect(dialUriUser('Agent2')).toBe('agent2');
    expect(dialUriUser('1002')).toBe('1002');
    expect(dialUriUser('30 555 000 ext. 4')).toBeNull();
  });
});
