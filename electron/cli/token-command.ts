import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { Scope, TokenName, type ApiToken } from '../../shared/auth.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { settingOptions } from '../config/options.js';
import { CodedError } from '../core/coded-error.js';
import { Store } from '../store/store.js';
import { TokenRepository } from '../auth/token-repository.js';
import { textTable } from './text-table.js';

export const tokenUsage = `Usage: fleetdeck token <create|list|revoke> [flags]

  token create --scope read|operate|admin --name <name>   prints the new token (shown only this once)
  token list [--json]                                      every token of this node, revoked ones too
  token revoke <id|name>                                   refuses the token from now on

Works on the node's data dir directly (the agent may be running): --data-dir and --config as for \`fleetdeck agent\`.`;

const settingFlags = Object.fromEntries(settingOptions.map((o) => [o.flag, { type: 'string' } as const]));
const ownFlags = { scope: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } } as const;

/** `fleetdeck token …`: API tokens from a shell. Returns the exit code; refused input throws ConfigError (exit 2). */
export function runTokenCommand(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: { out: (text: string) => void; err: (text: string) => void; now: () => number },
): number {
  const [sub, ...rest] = argv;
  if (sub === 'help' || sub === undefined) {
    io.out(tokenUsage);
    return sub === undefined ? 2 : 0;
  }
  const { values, positionals } = parsed(rest);
  const { scope, name, json, ...settings } = values;
  const config = loadConfig({
    argv: Object.entries(settings).flatMap(([flag, value]) => [`--${flag}`, String(value)]),
    env,
  });
  const store = Store.open(config.dataDir, { now: io.now() });
  try {
    const tokens = store.repository((db) => new TokenRepository(db));
    switch (sub) {
      case 'create': {
        const request = { scope: checked('--scope', Scope, scope), name: checked('--name', TokenName, name) };
        if (positionals.length > 0) throw new ConfigError('token create: takes no arguments besides its flags');
        const { token, secret } = tokens.create(request.name, request.scope, io.now());
        io.err(`token ${token.id} "${token.name}" (scope ${token.scope}) created; it is shown only this once:`);
        io.out(secret);
        return 0;
      }
      case 'list': {
        const list = tokens.list();
        io.out(json ? JSON.stringify(list, null, 2) : table(list));
        return 0;
      }
      case 'revoke': {
        const [ref] = positionals;
        if (!ref || positionals.length > 1) throw new ConfigError('token revoke: give exactly one token id or name');
        const token = tokens.revoke(ref, io.now());
        io.out(`revoked ${token.id} "${token.name}"`);
        return 0;
      }
      default:
        throw new ConfigError(`unknown token command "${sub}"\n${tokenUsage}`);
    }
  } catch (error) {
    if (error instanceof CodedError) {
      io.err(`fleetdeck: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    store.close();
  }
}

function parsed(args: string[]) {
  try {
    return parseArgs({ args, options: { ...settingFlags, ...ownFlags }, allowPositionals: true });
  } catch (error) {
    throw new ConfigError(`token: ${(error as Error).message}`);
  }
}

function checked<T>(flag: string, schema: z.ZodType<T>, value: string | undefined): T {
  if (value === undefined) throw new ConfigError(`token create: ${flag} is required`);
  const result = schema.safeParse(value);
  if (!result.success) throw new ConfigError(`${flag}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return result.data;
}

function table(tokens: ApiToken[]): string {
  if (tokens.length === 0) return 'no tokens';
  const time = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());
  const rows = tokens.map((t) => [
    t.id,
    t.name,
    t.scope,
    `${t.prefix}…`,
    time(t.createdAt),
    time(t.lastUsedAt),
    time(t.revokedAt),
  ]);
  return textTable(['ID', 'NAME', 'SCOPE', 'PREFIX', 'CREATED', 'LAST USED', 'REVOKED'], rows);
}
