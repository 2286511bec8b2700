/** The part of Electron's BrowserWindow the tooltip follows. */
export interface TitledWindow {
  on(event: 'page-title-updated', listener: (event: unknown, title: string) => void): unknown;
}

/**
 * The tray's tooltip says what the window's title says — "(3) Fleetdeck" while three alerts fire across the fleet
 * (the UI sets the page title) — so the count shows with the window hidden to the tray. `tray` is read on each
 * change: the tray may be created after the window, or not at all.
 */
export function tooltipFollowsTitle(window: TitledWindow, tray: () => { setToolTip(text: string): void } | null): void {
  window.on('page-title-updated', (_event, title) => tray()?.setToolTip(title));
}
