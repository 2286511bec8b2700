// Makes better-sqlite3's native binary for Electron's ABI, for `npm start` and packaging.
//
// node_modules/better-sqlite3/build stays the Node build (tests and the headless agent use it), so the
// Electron build happens in a copy: build/electron-native/better-sqlite3. There, prebuild-install
// fetches a prebuilt binary for this Electron version; if there is none (or no network), node-gyp
// compiles it against Electron's headers. The result is build/electron-native/better_sqlite3.node,
// which the shell passes to better-sqlite3's `nativeBinding` option and electron-builder ships as
// resources/native/better_sqlite3.node. A stamp file records what it was built for, so the next run is
// a no-op until Electron, better-sqlite3 or the target changes.
//
// Usage: node scripts/electron-native.mjs [--force] [--arch=<arch>]
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HEADERS_URL = 'https://electronjs.org/headers';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'build', 'electron-native');
const workDir = join(outDir, 'better-sqlite3');
const output = join(outDir, 'better_sqlite3.node');
const stampFile = join(outDir, 'better_sqlite3.stamp.json');
const require = createRequire(join(root, 'package.json'));

const fail = (message) => {
  console.error(`electron-native: ${message}`);
  process.exit(1);
};
const info = (message) => console.log(`electron-native: ${message}`);

let options;
try {
  ({ values: options } = parseArgs({
    options: { force: { type: 'boolean', default: false }, arch: { type: 'string', default: process.arch } },
  }));
} catch (error) {
  fail(`${error.message}\nusage: node scripts/electron-native.mjs [--force] [--arch=<arch>]`);
}

const packageDir = (name, from = require) => {
  try {
    return dirname(from.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
};
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

const electronDir = packageDir('electron');
if (!electronDir) fail('the "electron" package is not installed; run `npm install` first.');
const sqliteDir = packageDir('better-sqlite3');
if (!sqliteDir) fail('the "better-sqlite3" package is not installed; run `npm install` first.');

const electronPackage = readJson(join(electronDir, 'package.json'));
const electronVersion = electronPackage.version;

// Electron's installer and @electron/rebuild declare the Node they need (Electron 45: >= 22.12.0); on an older
// Node they fail later with obscure errors, so say it here. The agent and the browser demo run on older Node.
const needed = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(electronPackage.engines?.node?.trim() ?? '');
if (needed) {
  const [major, minor, patch] = process.versions.node.split('.').map(Number);
  const want = needed.slice(1).map(Number);
  const older = major - want[0] || minor - want[1] || patch - want[2];
  if (older < 0) {
    fail(
      `Electron ${electronVersion} needs Node ${want.join('.')} or newer; this is Node ${process.versions.node}. ` +
        'Upgrade Node for the desktop app, or run the browser demo (`npm run demo`), which works on this Node.',
    );
  }
}
const sqliteVersion = readJson(join(sqliteDir, 'package.json')).version;
const abiFile = join(electronDir, 'abi_version');
const abi = existsSync(abiFile) ? readFileSync(abiFile, 'utf8').trim() : null;
const target = {
  electron: electronVersion,
  abi,
  betterSqlite3: sqliteVersion,
  platform: process.platform,
  arch: options.arch,
};

const readStamp = () => {
  try {
    return readJson(stampFile);
  } catch {
    return null;
  }
};
const stamp = readStamp();
const upToDate = stamp && Object.entries(target).every(([key, value]) => stamp[key] === value);
if (!options.force && upToDate && existsSync(output)) {
  info(
    `better_sqlite3.node is current (Electron ${electronVersion}, ${process.platform}-${options.arch}); nothing to do.`,
  );
  process.exit(0);
}

// A fresh copy of the package without its build/ directory, so a Node-ABI binary can never be mistaken for ours.
info(
  `preparing better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (ABI ${abi ?? 'unknown'}, ${process.platform}-${options.arch})`,
);
// Forget the previous result first: after a failed rebuild there must be no stale binary that looks current.
rmSync(stampFile, { force: true });
rmSync(output, { force: true });
rmSync(workDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
cpSync(sqliteDir, workDir, {
  recursive: true,
  filter: (source) => !(dirname(source) === sqliteDir && ['build', 'prebuilds'].includes(basename(source))),
});
const builtBinary = join(workDir, 'build', 'Release', 'better_sqlite3.node');

// A native module exports node_register_module_v<ABI> (or napi_register_module_v1 when ABI-independent);
// finding Electron's ABI there shows the binary was really built for Electron and not for this Node.
const builtForElectron = () => {
  if (!existsSync(builtBinary)) return false;
  const binary = readFileSync(builtBinary);
  if (abi === null || binary.includes('napi_register_module_v1') || binary.includes(`node_register_module_v${abi}`)) {
    return true;
  }
  console.error(`electron-native: ${builtBinary} is not built for Electron's ABI ${abi}.`);
  return false;
};

// npm exports its config as npm_config_* variables, and node-gyp lets them override its command line
// (a user's `nodedir`, `target`, `disturl` or `runtime` would silently build for the wrong ABI), so the
// children get an environment without them, keeping only network and toolchain settings.
const keptNpmConfig = new Set([
  'cache',
  'proxy',
  'https_proxy',
  'http_proxy',
  'noproxy',
  'no_proxy',
  'cafile',
  'local_address',
  'python',
  'msvs_version',
  'jobs',
  'better_sqlite3_binary_host',
  'better_sqlite3_binary_host_mirror',
  'better_sqlite3_local_prebuilds',
]);
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => {
    const lower = key.toLowerCase();
    if (lower.startsWith('npm_config_')) return keptNpmConfig.has(lower.slice('npm_config_'.length));
    // prebuild-install reads these as "where the package came from" (a git origin disables downloads).
    return !lower.startsWith('npm_package_');
  }),
);

const run = (label, script, args) => {
  info(`${label}: ${[basename(script), ...args].join(' ')}`);
  const result = spawnSync(process.execPath, [script, ...args], { cwd: workDir, env: childEnv, stdio: 'inherit' });
  if (result.error) {
    console.error(`electron-native: ${label} could not run: ${result.error.message}`);
    return false;
  }
  return result.status === 0;
};

const sqliteRequire = createRequire(join(sqliteDir, 'package.json'));
const prebuildDir = packageDir('prebuild-install', sqliteRequire);
const prebuilt =
  prebuildDir !== null &&
  run('prebuild-install', join(prebuildDir, 'bin.js'), [
    '--runtime=electron',
    `--target=${electronVersion}`,
    `--arch=${options.arch}`,
    `--platform=${process.platform}`,
    '--verbose',
  ]) &&
  builtForElectron();

let method = 'prebuild-install';
if (!prebuilt) {
  info(
    prebuildDir === null
      ? 'prebuild-install is not installed; compiling from source.'
      : 'no usable prebuilt binary for this Electron version (or no network); compiling from source.',
  );
  method = 'node-gyp';
  const nodeGypDir = packageDir('node-gyp') ?? packageDir('node-gyp', sqliteRequire);
  const nodeGyp = nodeGypDir ? join(nodeGypDir, 'bin', 'node-gyp.js') : process.env.npm_config_node_gyp;
  if (!nodeGyp || !existsSync(nodeGyp)) {
    fail('node-gyp is not available. Install it (`npm install -g node-gyp`) or run this script through npm.');
  }
  rmSync(join(workDir, 'build'), { recursive: true, force: true });
  const built = run('node-gyp', nodeGyp, [
    'rebuild',
    '--release',
    '--runtime=electron',
    `--target=${electronVersion}`,
    `--arch=${options.arch}`,
    `--dist-url=${HEADERS_URL}`,
    // Electron's headers are cached apart from Node's (as @electron/rebuild does), in ~/.electron-gyp.
    `--devdir=${join(homedir(), '.electron-gyp')}`,
  ]);
  if (!built || !builtForElectron()) {
    fail(
      [
        `could not build better-sqlite3 for Electron ${electronVersion}.`,
        'Compiling needs network access to electronjs.org (for the headers), Python 3 and a C++20 compiler:',
        '  Linux: build-essential (gcc/g++, make) and python3',
        '  macOS: Xcode Command Line Tools (`xcode-select --install`)',
        '  Windows: Visual Studio Build Tools with the "Desktop development with C++" workload',
        'See the node-gyp output above for the exact failure, then run `node scripts/electron-native.mjs` again.',
      ].join('\n'),
    );
  }
}

copyFileSync(builtBinary, `${output}.tmp`);
renameSync(`${output}.tmp`, output);
writeFileSync(stampFile, `${JSON.stringify({ ...target, method, builtAt: new Date().toISOString() }, null, 2)}\n`);
info(`wrote ${output} (${method})`);
