/**
 * Where the shell finds its files, in development (`electron .` from the repo) and when packaged
 * (app code inside resources/app.asar, extraResources beside it).
 */
import { join } from 'node:path';

export interface ShellPathsInput {
  isPackaged: boolean;
  /** app.getAppPath(): the repo root in development, resources/app.asar when packaged. */
  appPath: string;
  /** process.resourcesPath */
  resourcesPath: string;
  /** The directory of the bundled main.js (dist/electron). */
  mainDir: string;
}

export interface ShellPaths {
  preload: string;
  rendererDir: string;
  /** better-sqlite3 built for Electron's ABI by scripts/electron-native.mjs (shipped via extraResources). */
  nativeBinding: string;
  iconsDir: string;
  /** Holds demo/log-writer.mjs, the demo's supervised process. */
  resourcesDir: string;
}

export function shellPaths({ isPackaged, appPath, resourcesPath, mainDir }: ShellPathsInput): ShellPaths {
  return {
    preload: join(mainDir, 'preload.cjs'),
    rendererDir: join(mainDir, '..', 'renderer'),
    nativeBinding: isPackaged
      ? join(resourcesPath, 'native', 'better_sqlite3.node')
      : join(appPath, 'build', 'electron-native', 'better_sqlite3.node'),
    iconsDir: isPackaged ? join(resourcesPath, 'icons') : join(appPath, 'resources'),
    resourcesDir: isPackaged ? resourcesPath : join(appPath, 'resources'),
  };
}
