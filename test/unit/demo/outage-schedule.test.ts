import { describe, expect, it } from 'vitest';
import { inOutage, paymentsOutages } from '../../../electron/demo/outage-schedule.js';

describe('demo outage schedule', () => {
  it('is up until the first outage, down while it lasts, then up until the next one a period later', () => {
    const schedule = { firstAfterMs: 20, lastsMs: 30, everyMs: 300 };
    const down = [0, 19, 20, 49, 50, 319, 320, 349, 350].filter((ms) => inOutage(schedule, ms));
    expect(down).toEqual([20, 49, 320, 349]);
  });

  it('has the payment gateway down for 30 s of every 5 minutes, the first time 20 s after the start', () => {
    const downSeconds = Array.from({ length: 600 }, (_, s) => s).filter((s) => inOutage(paymentsOutages, s * 1000));
    expect(downSeconds).toHaveLength(60);
    expect([downSeconds[0], downSeconds[29], downSeconds[30], downSeconds[59]]).toEqual([20, 49, 320, 349]);
  });
});
