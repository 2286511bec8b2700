import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { userFlags } from '../../../electron/shell/argv.js';
import { shellPaths } from '../../../electron/shell/paths.js';

const known = ['config', 'data-dir', 'port', 'log-level'];

describe('userFlags', () => {
  it('keeps our settings flags and drops the executable, app path and Chromium switches', () => {
    const argv = ['/usr/bin/electron', '.', '--inspect', '--port', '0', '--enable-logging', '--log-level=debug'];
    expect(userFlags(argv, known)).toEqual({
      flags: ['--port', '0', '--log-level=debug'],
      ignored: ['.', '--inspect', '--enable-logging'],
    });
  });

  it('works for a packaged app, whose argv has no app path', () => {
    expect(userFlags(['/opt/Fleetdeck/fleetdeck', '--data-dir', '/tmp/fd'], known).flags).toEqual([
      '--data-dir',
      '/tmp/fd',
    ]);
  });

  it('leaves a flag without its value for the config parser to report', () => {
    expect(userFlags(['fleetdeck', '--port'], known).flags).toEqual(['--port']);
    expect(userFlags(['fleetdeck', '--port', '--log-level', 'warn'], known).flags).toEqual([
      '--port',
      '--log-level',
      'warn',
    ]);
  });

  it('does not treat a look-alike as one of ours', () => {
    expect(userFlags(['fleetdeck', '--ports', '1', '-port', '2'], known)).toEqual({
      flags: [],
      ignored: ['--ports', '1', '-port', '2'],
    });
  });
});

describe('shellPaths', () => {
  const mainDir = path.join('/repo', 'dist', 'electron');

  it('uses the repo layout in development', () => {
    expect(shellPaths({ isPackaged: false, appPath: '/repo', resourcesPath: '/electron/resources', mainDir })).toEqual({
      preload: path.join(mainDir, 'preload.cjs'),
      rendererDir: path.join('/repo', 'dist', 'renderer'),
      nativeBinding: path.join('/repo', 'build', 'electron-native', 'better_sqlite3.node'),
      iconsDir: path.join('/repo', 'resources'),
      resourcesDir: path.join('/repo', 'resources'),
    });
  });

  it('uses resources/ when packaged', () => {
    const asarMain = path.join('/opt/Fleetdeck/resources/app.asar', 'dist', 'electron');
    const paths = shellPaths({
      isPackaged: true,
      appPath: '/opt/Fleetdeck/resources/app.asar',
      resourcesPath: '/opt/Fleetdeck/resources',
      mainDir: asarMain,
    });
    expect(paths.nativeBinding).toBe(path.join('/opt/Fleetdeck/resources', 'native', 'better_sqlite3.node'));
    expect(paths.iconsDir).toBe(path.join('/opt/Fleetdeck/resources', 'icons'));
    expect(paths.resourcesDir).toBe('/opt/Fleetdeck/resources');
    expect(paths.rendererDir).toBe(path.join('/opt/Fleetdeck/resources/app.asar', 'dist', 'renderer'));
  });
});
