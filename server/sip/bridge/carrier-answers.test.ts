import { describe, expect, it } from 'vitest';
import { refusalSentence, triesNextTrunk, trunkFailure } from './carrier-answers';

describe('carrier answers', () => {
  it('says what a refusal means for the number, in one sentence', () => {
    expect(refusalSentence('+4930123456', 486, 'Busy Here')).toBe('+4930123456 is busy');
    expect(refusalSentence('+4930123456', 600, 'Busy Everywhere')).toBe('+4930123456 is busy');
    expect(refusalSentence('+4930123456', 404, 'Not Found')).toBe('+4930123456 does not exist');
    expect(refusalSentence('+4930123456', 484, 'Address Incomplete')).toBe(
      'The number +4930123456 is incomplete',
    );
    expect(refusalSentence('+4930123456', 603, 'Decline')).toBe('+4930123456 declined the call');
    expect(refusalSentence('+4930123456', 403, 'Forbidden')).toBe(
      'The carrier refused the call to +4930123456 (403 Forbidden)',
    );
    expect(refusalSentence('+4930123456', 420, ' ')).toBe(
      'The carrier refused the call to +4930123456 (420 without a reason)',
    );
  });

  it('fails over on server errors and timeouts only', () => {
    expect([500, 502, 503, 504, 408].every(triesNextTrunk)).toBe(true);
    expect([404, 480, 484, 486, 487, 603, 600].some(triesNextTrunk)).toBe(false);
  });

  it('names the trunk and its answer', () => {
    expect(trunkFailure('Carrier B', 503, 'Service Unavailable')).toBe('Carrier B: 503 Service Unavailable');
    expect(trunkFailure('Carrier B', null, 'no answer')).toBe('Carrier B: no answer');
  });
});
