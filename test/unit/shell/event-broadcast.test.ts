import { describe, expect, it } from 'vitest';
import { broadcastEvent, type EventTarget } from '../../../electron/shell/event-broadcast.js';
import { ipcChannels } from '../../../shared/bridge.js';
import type { AgentEvent } from '../../../shared/events.js';

const silentLog = { debug: () => undefined };
const event: AgentEvent = { type: 'agent.state', data: { state: 'ready' } };

/** A stand-in for a window's WebContents (the Electron binary is not available to tests). */
function standInContents(url: string, options: { destroyed?: boolean; failing?: boolean } = {}) {
  const sent: Array<[string, AgentEvent]> = [];
  const contents: EventTarget = {
    isDestroyed: () => options.destroyed ?? false,
    getURL: () => url,
    send: (channel, payload) => {
      if (options.failing) throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      sent.push([channel, payload]);
    },
  };
  return { contents, sent };
}

describe('broadcastEvent', () => {
  it('reaches only live windows showing app://fleetdeck', () => {
    const app = standInContents('app://fleetdeck/index.html#/alerts');
    const elsewhere = standInContents('https://evil.example/');
    const devtools = standInContents('devtools://devtools/bundled/inspector.html');
    const blank = standInContents('about:blank');
    const gone = standInContents('app://fleetdeck/index.html', { destroyed: true });
    broadcastEvent(
      [app, elsewhere, devtools, blank, gone].map((target) => target.contents),
      event,
      silentLog,
    );
    expect(app.sent).toEqual([[ipcChannels.event, event]]);
    for (const target of [elsewhere, devtools, blank, gone]) expect(target.sent).toEqual([]);
  });

  it('keeps going past a window that cannot take the event', () => {
    const failing = standInContents('app://fleetdeck/', { failing: true });
    const next = standInContents('app://fleetdeck/');
    expect(() => broadcastEvent([failing.contents, next.contents], event, silentLog)).not.toThrow();
    expect(next.sent).toEqual([[ipcChannels.event, event]]);
  });
});
