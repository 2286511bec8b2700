import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { tooltipFollowsTitle, type TitledWindow } from '../../../electron/shell/tray-tooltip.js';

describe('the tray tooltip', () => {
  it("follows the window's title, so the firing count shows with the window hidden", () => {
    // Stand-ins for Electron's BrowserWindow and Tray (the Electron binary is not available to tests).
    const window = new EventEmitter() as EventEmitter & TitledWindow;
    const tooltips: string[] = [];
    let tray: { setToolTip(text: string): void } | null = null;
    tooltipFollowsTitle(window, () => tray);

    window.emit('page-title-updated', {}, 'Fleetdeck');
    expect(tooltips).toEqual([]);

    tray = { setToolTip: (text) => tooltips.push(text) };
    window.emit('page-title-updated', {}, '(3) Fleetdeck');
    window.emit('page-title-updated', {}, 'Fleetdeck');
    expect(tooltips).toEqual(['(3) Fleetdeck', 'Fleetdeck']);
  });
});
