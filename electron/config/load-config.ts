import { isUtf8 } from 'node:buffer';
import { hostname, homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import type { z } from 'zod';
import { AgentConfig, type AgentConfigInput } from '../../shared/config.js';
import { errorMessage } from '../core/errors.js';
import { firstInvalidUtf8Offset } from '../core/invalid-utf8.js';
import { readBoundedFileSync } from '../core/read-bounded-file.js';
import { headlessSecrets } from '../secrets/headless-secret-box.js';
import type { SecretsFor } from '../secrets/secret-box.js';
import { ConfigError } from './config-error.js';
import { settingOptions, type SettingOption } from './options.js';
import { readSavedBackend, savedBackendFile } from './saved-backend.js';

export { ConfigError };

type Plain = Record<string, unknown>;
interface Layer {
  source: string;
  values: Plain;
  /** Its `backend` replaces the one below instead of being merged into it. */
  replacesBackend?: boolean;
}

export interface ConfigSources {
  /** Flags only (no command word), e.g. ['--port', '0']. */
  argv: string[];
  env: Record<string, string | undefined>;
  /** Defaults chosen by the caller (the desktop shell's data dir, the demo's backend); files, env and flags override them. */
  base?: Partial<AgentConfigInput>;
  /** Opens the secrets sealed in the saved backend; headless by default (FLEETDECK_SECRET_KEY or the key file). */
  secrets?: SecretsFor;
}

/** The platform's per-user data directory for Fleetdeck. */
export function defaultDataDir(env: Record<string, string | undefined>, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Fleetdeck');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Fleetdeck');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'fleetdeck');
}

/** Where the coordination backend came from, which decides whether Settings may change it. */
export interface BackendOrigin {
  /** The flags or FLEETDECK_* variables that set the backend (they override whatever Settings saves); else null. */
  pinnedBy: string | null;
  /** Where Settings saves a backend: `<dataDir>/backend.json`. */
  savedFile: string;
  /** The saved file exists and was layered in. */
  saved: boolean;
}

export interface LoadedConfig {
  config: AgentConfig;
  backendOrigin: BackendOrigin;
}

/** The validated config alone; see loadAgentConfig. */
export const loadConfig = (sources: ConfigSources): AgentConfig => loadAgentConfig(sources).config;

/**
 * defaults < base < config file < backend saved from Settings < FLEETDECK_* env < flags, validated once against
 * the shared schema. The saved backend lives in the data dir, so the data dir is resolved first from the other
 * layers. A backend of another kind than the one below it replaces it rather than mixing the two kinds' fields.
 */
export function loadAgentConfig({ argv, env, base = {}, secrets }: ConfigSources): LoadedConfig {
  const flags = parseFlags(argv);
  const layers: Layer[] = [
    { source: 'defaults', values: { name: hostname(), dataDir: defaultDataDir(env) } },
    { source: 'defaults', values: base as Plain },
  ];
  const file = flags.get('config') ?? env.FLEETDECK_CONFIG;
  if (file) layers.push({ source: file, values: readConfigFile(file) });
  const overrides: Layer[] = [
    { source: 'environment', values: settingsLayer((o) => envValue(o, env)) },
    { source: 'flags', values: settingsLayer((o) => flags.get(o.flag)) },
  ];

  const { dataDir } = mergeLayers([...layers, ...overrides]);
  const savedFile = typeof dataDir === 'string' && dataDir !== '' ? savedBackendFile(dataDir) : null;
  const saved = savedFile ? readSavedBackend(savedFile, (secrets ?? headlessSecrets(env))(String(dataDir))) : null;
  if (savedFile && saved) layers.push({ source: savedFile, values: { backend: saved }, replacesBackend: true });
  layers.push(...overrides);

  const parsed = NodeConfig.safeParse(mergeLayers(layers));
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, layers));
  return {
    config: parsed.data,
    backendOrigin: {
      pinnedBy: backendPinnedBy(flags, env),
      savedFile: savedBackendFile(parsed.data.dataDir),
      saved: saved !== null,
    },
  };
}

function mergeLayers(layers: Layer[]): Plain {
  return layers.reduce<Plain>((acc, layer) => {
    const below = acc.backend;
    const backend = layer.values.backend;
    const replaces =
      isPlain(below) &&
      isPlain(backend) &&
      (layer.replacesBackend === true || (backend.kind !== undefined && backend.kind !== below.kind));
    if (!replaces) return deepMerge(acc, layer.values);
    const { backend: _replaced, ...rest } = acc;
    return deepMerge(rest, layer.values);
  }, {});
}

/** The backend flags and variables present, flags first: what stops Settings from changing the backend. */
function backendPinnedBy(flags: Map<string, string>, env: Record<string, string | undefined>): string | null {
  const options = settingOptions.filter((option) => option.path?.[0] === 'backend');
  const names = [
    ...options.filter((option) => flags.has(option.flag)).map((option) => `--${option.flag}`),
    ...options.filter((option) => envValue(option, env) !== undefined).map((option) => option.env),
  ];
  return names.length > 0 ? names.join(', ') : null;
}

function parseFlags(argv: string[]): Map<string, string> {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: Object.fromEntries(settingOptions.map((o) => [o.flag, { type: 'string' as const }])),
    });
    return new Map(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch (error) {
    throw new ConfigError(errorMessage(error).replace(/\. To specify.*$/s, ''));
  }
}

/** The shared schema, plus what only a node can check: paths that must be absolute on this machine. */
const NodeConfig = AgentConfig.superRefine((config, ctx) => {
  config.files.readDirs.forEach((dir, index) => {
    if (!isAbsolute(dir)) {
      ctx.addIssue({
        code: 'custom',
        path: ['files', 'readDirs', index],
        message: `must be an absolute path: "${dir}"`,
      });
    }
  });
});

/** A config file is a page of settings; a bigger one is a mistake (or an attack) that would stall start-up. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

function readConfigFile(file: string): Plain {
  let bytes: Buffer;
  try {
    bytes = readBoundedFileSync(file, { label: 'config file', maxBytes: MAX_CONFIG_FILE_BYTES });
  } catch (error) {
    throw new ConfigError(errorMessage(error));
  }
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8Offset(bytes) ?? 0;
    const byte = bytes[offset]!.toString(16).padStart(2, '0');
    throw new ConfigError(`config file ${file} is not UTF-8: byte 0x${byte} at offset ${offset} is not valid UTF-8`);
  }
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    value = YAML.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${file} is not valid YAML/JSON: ${errorMessage(error).split('\n')[0]}`);
  }
  if (value === null || value === undefined) return {};
  if (!isPlain(value)) throw new ConfigError(`config file ${file} must contain a mapping of settings`);
  return value;
}

const envValue = (option: SettingOption, env: Record<string, string | undefined>): string | undefined =>
  env[option.env] === '' ? undefined : env[option.env];

/** Builds a config fragment from whichever flag/env settings are present, converting their text to the field's type. */
function settingsLayer(read: (option: SettingOption) => string | undefined): Plain {
  let layer: Plain = {};
  for (const option of settingOptions) {
    const raw = read(option);
    if (raw === undefined || !option.path) continue;
    layer = deepMerge(layer, nest(option.path, convert(option, raw)));
  }
  return layer;
}

function convert(option: SettingOption, raw: string): unknown {
  if (option.type === 'string') return raw;
  if (option.type === 'list') {
    return raw
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  }
  if (!/^-?\d+$/.test(raw.trim())) {
    throw new ConfigError(
      `${option.path!.join('.')}: expected an integer, got "${raw}" (from --${option.flag} or ${option.env})`,
    );
  }
  return Number(raw);
}

function describeIssues(error: z.ZodError, layers: Layer[]): string {
  const problems = error.issues.map((issue) => {
    const path = issue.path.map(String);
    const field = path.length > 0 ? path.join('.') : '(root)';
    // An unknown key is blamed on the layer that has it, not on the last layer that has the object holding it.
    const keyPaths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...path, key]) : [path];
    const source = [...layers]
      .reverse()
      .find((layer) => keyPaths.some((keyPath) => hasPath(layer.values, keyPath)))?.source;
    return `${field}: ${issue.message}${source && source !== 'defaults' ? ` (from ${source})` : ''}`;
  });
  return `invalid config: ${problems.join('; ')}`;
}

const isPlain = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nest = (path: readonly string[], value: unknown): Plain =>
  path.reduceRight<Plain>((inner, key) => ({ [key]: inner }), value as Plain);

function deepMerge(target: Plain, source: Plain): Plain {
  const out: Plain = { ...target };
  for (const [key, value] of Object.entries(source)) {
    out[key] = isPlain(value) && isPlain(out[key]) ? deepMerge(out[key], value) : value;
  }
  return out;
}

function hasPath(values: Plain, path: string[]): boolean {
  let node: unknown = values;
  for (const key of path) {
    // Arrays too: an issue in `services.0` belongs to the layer that has that list.
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return false;
    node = (node as Plain)[key];
  }
  return true;
}
