import { describe, expect, it } from 'vitest';
import { FailureLimiter } from '../../../electron/auth/failure-limiter.js';
import { ManualClock } from '../../support/manual-clock.js';

const limits = { maxFailures: 3, windowMs: 60_000, blockMs: 30_000, maxAddresses: 2 };

describe('FailureLimiter', () => {
  it('refuses an address after too many failures within the window, for blockMs', async () => {
    const clock = new ManualClock();
    const limiter = new FailureLimiter(clock, limits);
    expect(limiter.fail('10.0.0.1')).toBe(false);
    expect(limiter.fail('10.0.0.1')).toBe(false);
    expect(limiter.retryAfterMs('10.0.0.1')).toBe(0);
    expect(limiter.fail('10.0.0.1')).toBe(true);
    expect(limiter.retryAfterMs('10.0.0.1')).toBe(30_000);
    // Another address is not affected.
    expect(limiter.retryAfterMs('10.0.0.2')).toBe(0);
    await clock.advance(29_999);
    expect(limiter.retryAfterMs('10.0.0.1')).toBe(1);
    await clock.advance(1);
    expect(limiter.retryAfterMs('10.0.0.1')).toBe(0);
  });

  it('forgets failures older than the window', async () => {
    const clock = new ManualClock();
    const limiter = new FailureLimiter(clock, limits);
    limiter.fail('10.0.0.1');
    limiter.fail('10.0.0.1');
    await clock.advance(60_000);
    expect(limiter.fail('10.0.0.1')).toBe(false);
    expect(limiter.retryAfterMs('10.0.0.1')).toBe(0);
  });

  it('counts on the monotonic clock: a wall-clock step neither lifts nor extends a refusal', () => {
    const clock = new ManualClock();
    const limiter = new FailureLimiter(clock, limits);
    for (let i = 0; i < 3; i++) limiter.fail('10.0.0.1');
    clock.stepWall(-3_600_000);
    expect(limiter.retryAfterMs('10.0.0.1')).toBe(30_000);
    clock.stepWall(7_200_000);
    expect(limiter.retryAfterMs('10.0.0.1')).toBe(30_000);
  });

  it('remembers at most maxAddresses, forgetting the longest quiet first', () => {
    const clock = new ManualClock();
    const limiter = new FailureLimiter(clock, limits);
    for (let i = 0; i < 3; i++) limiter.fail('10.0.0.1');
    limiter.fail('10.0.0.2');
    limiter.fail('10.0.0.3');
    expect(limiter.retryAfterMs('10.0.0.1')).toBe(0);
  });
});
