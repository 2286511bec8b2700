import { describe, expect, it } from 'vitest';
import { demoQueueReport } from '../../../electron/demo/demo-services.js';

describe('the demo job queue', () => {
  it('reports a backlog above its warning level with a backlog, whatever the roll, and a small one without', () => {
    const backlog = { paymentsOutages: false, queueBacklog: true };
    const healthy = { paymentsOutages: false, queueBacklog: false };
    expect([0, 0.5, 0.9999].map((roll) => demoQueueReport(backlog, roll))).toEqual([
      { status: 'warning', output: '1116 jobs waiting (warning above 1000)' },
      { status: 'warning', output: '1240 jobs waiting (warning above 1000)' },
      { status: 'warning', output: '1364 jobs waiting (warning above 1000)' },
    ]);
    expect([0, 0.9999].map((roll) => demoQueueReport(healthy, roll))).toEqual([
      { status: 'passing', output: '36 jobs waiting (warning above 1000)' },
      { status: 'passing', output: '44 jobs waiting (warning above 1000)' },
    ]);
  });
});
