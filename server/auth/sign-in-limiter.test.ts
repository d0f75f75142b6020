import { describe, expect, it } from 'vitest';
import { SignInLimiter } from './sign-in-limiter';

describe('SignInLimiter', () => {
  it('refuses a username after N failures until the window moves on', () => {
    let now = 1_000_000;
    const limiter = new SignInLimiter(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('agent1', '10.0.0.1')).toBe(0);
      limiter.recordFailure('agent1', '10.0.0.1');
      now += 1000;
    }
    // The oldest failure was 3 s ago; it leaves the window in 57 s.
    expect(limiter.retryAfterSeconds('agent1', '10.0.0.9')).toBe(57);
    expect(limiter.retryAfterSeconds('agent2', '10.0.0.9')).toBe(0);
    now += 57_000;
    expect(limiter.retryAfterSeconds('agent1', '10.0.0.9')).toBe(0);
  });

  it('limits one address guessing many usernames, with more room than one username', () => {
    const limiter = new SignInLimiter(2, 60_000, () => 0, 4);
    for (let i = 0; i < 7; i++) limiter.recordFailure(`user${i}`, '10.0.0.1');
    expect(limiter.retryAfterSeconds('fresh', '10.0.0.1')).toBe(0);
    limiter.recordFailure('user7', '10.0.0.1');
    expect(limiter.retryAfterSeconds('fresh', '10.0.0.1')).toBe(60);
  });

  it('forgets a username’s failures after a successful sign-in', () => {
    const limiter = new SignInLimiter(2, 60_000, () => 0);
    limiter.recordFailure('agent1', 'a');
    limiter.recordSuccess('agent1');
    limiter.recordFailure('agent1', 'b');
    expect(limiter.retryAfterSeconds('agent1', 'c')).toBe(0);
  });
});
