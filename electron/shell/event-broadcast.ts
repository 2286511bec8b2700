/**
 * Agent events go only to windows showing our UI: a webContents that navigated elsewhere (which the hardening
 * refuses, but a crash page or DevTools may still be shown) or is gone gets nothing.
 */
import { ipcChannels } from '../../shared/bridge.js';
import type { AgentEvent } from '../../shared/events.js';
import type { Logger } from '../core/logger.js';
import { isAppUrl } from './app-origin.js';

/** The parts of Electron's WebContents the broadcast reads. */
export interface EventTarget {
  isDestroyed(): boolean;
  getURL(): string;
  send(channel: string, event: AgentEvent): void;
}

/** Sends `event` to every target on app://fleetdeck. */
export function broadcastEvent(targets: Iterable<EventTarget>, event: AgentEvent, log: Pick<Logger, 'debug'>): void {
  for (const contents of targets) {
    if (contents.isDestroyed() || !isAppUrl(contents.getURL())) continue;
    try {
      contents.send(ipcChannels.event, event);
    } catch (error) {
      log.debug({ err: error }, 'could not forward an event to a window');
    }
  }
}
