import { describe, expect, it } from 'vitest';
import type {
  DesktopNotice,
  DesktopNoticeAction,
  DesktopNotifierPort,
} from '../../electron/desktop-notifications/desktop-notifier-port.js';
import type { ResourceSample } from '../../shared/node.js';
import { clientFor } from '../support/http-client.js';
import { openInProcessAgent } from '../support/in-process-agent.js';
import { waitFor } from '../support/poll.js';
import { memoryLogger } from '../support/test-logger.js';

/** Memory half used, the rest idle. */
const sample = (): ResourceSample => ({
  sampledAt: Date.now(),
  cpu: { loadPercent: 5, cores: 4 },
  memory: { usedBytes: 1, totalBytes: 2 },
  disk: { mount: '/', usedBytes: 1, totalBytes: 4 },
  load: { avg1: 0.1, avg5: 0.1, avg15: 0.1 },
  network: { rxBytesPerSec: 0, txBytesPerSec: 0 },
  disks: [{ mount: '/', fs: '/dev/sda1', usedBytes: 1, totalBytes: 4 }],
});

/** What the Electron shell would show, recorded; the test presses the buttons. */
class RecordingPort implements DesktopNotifierPort {
  readonly shown: Array<{ notice: DesktopNotice; act: (action: DesktopNoticeAction) => void }> = [];
  readonly revealed: string[] = [];
  show(notice: DesktopNotice, onAction: (action: DesktopNoticeAction) => void): void {
    this.shown.push({ notice, act: onAction });
  }
  reveal(alertId: string): void {
    this.revealed.push(alertId);
  }
}

describe('desktop notifications in a console agent', () => {
  it('shows a fleet alert at the saved severity, acknowledges it from the notification as the desktop user, and opens it', async () => {
    const { logger } = memoryLogger();
    const port = new RecordingPort();
    const { agent, server } = await openInProcessAgent(
      { name: 'desk', role: 'console', resources: { intervalMs: 200 } },
      { logger, probe: async () => sample(), desktopNotifier: port },
    );
    try {
      await agent.start(server.url);
      const client = clientFor(server.url);
      expect(await client.call('notifications.desktop.get', {})).toEqual({
        enabled: true,
        minSeverity: 'warning',
        doNotDisturb: null,
      });
      const settings = { enabled: true, minSeverity: 'critical', doNotDisturb: null } as const;
      expect(await client.call('notifications.desktop.set', settings)).toEqual(settings);
      expect(await client.call('notifications.desktop.get', {})).toEqual(settings);

      const rule = (id: string, severity: 'warning' | 'critical') => ({
        id,
        name: `Memory over 40% (${severity})`,
        severity,
        signal: { kind: 'resource', metric: 'memory' },
        threshold: 40,
      });
      await client.call('fleet.alertRules.put', { value: rule('memory-warning', 'warning') });
      await client.call('fleet.alertRules.put', { value: rule('memory-critical', 'critical') });
      const firing = await waitFor('the critical alert’s notification', () =>
        port.shown.find(({ notice }) => notice.title === 'CRITICAL: Memory over 40% (critical) firing'),
      );
      const [alert] = await client.call('alerts.list', { ruleId: 'memory-critical' });
      expect(firing.notice).toEqual({
        title: 'CRITICAL: Memory over 40% (critical) firing',
        body: `${alert!.summary} — on ${agent.nodeId}`,
        alertId: `${agent.nodeId}/${alert!.id}`,
        actions: ['acknowledge', 'open'],
      });
      await waitFor('the warning alert to fire too', async () => {
        const [warning] = await client.call('alerts.list', { ruleId: 'memory-warning' });
        return warning?.state === 'firing';
      });

      firing.act('acknowledge');
      await waitFor('the alert acknowledged by the desktop user', async () => {
        const [acknowledged] = await client.call('alerts.list', { ruleId: 'memory-critical' });
        return acknowledged?.acknowledged?.by === 'desktop';
      });
      await waitFor('the acknowledged notification', () =>
        port.shown.some(
          ({ notice }) => notice.title === 'CRITICAL: Memory over 40% (critical) acknowledged by desktop',
        ),
      );
      firing.act('open');
      expect(port.revealed).toEqual([`${agent.nodeId}/${alert!.id}`]);
      // Below the saved severity: never shown.
      expect(port.shown.filter(({ notice }) => notice.title.includes('(warning)'))).toEqual([]);
    } finally {
      await server.close();
      await agent.stop();
    }
  });
});
