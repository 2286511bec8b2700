/** The tray icon: Show brings the window back, Quit runs the graceful shutdown. */
import { join } from 'node:path';
import { Menu, Tray, nativeImage } from 'electron';

export interface TrayActions {
  iconsDir: string;
  show: () => void;
  quit: () => void;
}

export function createTray({ iconsDir, show, quit }: TrayActions): Tray {
  // macOS wants a black-and-alpha "Template" image that it tints for light/dark menu bars; @2x files load automatically.
  const file = process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png';
  const tray = new Tray(nativeImage.createFromPath(join(iconsDir, file)));
  tray.setToolTip('Fleetdeck');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Fleetdeck', click: show },
      { type: 'separator' },
      { label: 'Quit Fleetdeck', click: quit },
    ]),
  );
  // Windows users expect a left click to open the window (Linux app indicators only show the menu).
  tray.on('click', show);
  return tray;
}
