import { parseArgs } from 'node:util';
import { FleetdeckClient, httpCall, RpcCallError } from '../../shared/client.js';
import type { RpcParams } from '../../shared/rpc.js';
import type { TaskSummary } from '../../shared/tasks.js';
import { ConfigError } from '../config/load-config.js';
import { textTable } from './text-table.js';

export const taskUsage = `Usage: fleetdeck task <submit|get|list|cancel|retry> [flags]

  task submit --type <type> [--payload <json>] [--target local|any|node:<id>|label:<k>=<v>]
              [--priority <n>] [--max-attempts <n>] [--timeout-ms <ms>] [--not-before <ISO time or epoch ms>]
              [--idempotency-key <key>] [--group <group>] [--strategy <strategy>]      prints the task id
  task get <id>                                                                     prints the task as JSON
  task list [--state <state>] [--type <type>] [--text <text>] [--node <id>] [--group <group>] [--limit <n>] [--json]
  task cancel <id>
  task retry <id>                                      queues a dead or cancelled task again (replays a dead letter)

Every subcommand takes --api <url> (default $FLEETDECK_API or http://127.0.0.1:7420). An agent whose API needs a
token gets the one in $FLEETDECK_TOKEN (an environment variable, so that it does not show in the process list).`;

const common = { api: { type: 'string' } } as const;

/** `fleetdeck task …`: the queue's API from a shell. Returns the exit code (2: refused input, 1: other failures). */
export async function runTaskCommand(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: (text: string) => void,
): Promise<number> {
  const [sub, ...rest] = argv;
  const client = (api: string | undefined) => {
    const url = api ?? env.FLEETDECK_API ?? 'http://127.0.0.1:7420';
    const token = env.FLEETDECK_TOKEN;
    const authorized: typeof fetch = (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${token}` },
      });
    const call = (method: string, params: unknown) => httpCall(url, method, params, token ? authorized : fetch);
    return new FleetdeckClient({ call, subscribe: () => () => {} });
  };
  try {
    switch (sub) {
      case 'submit': {
        const { values } = parsed(() =>
          parseArgs({
            args: rest,
            options: {
              ...common,
              type: { type: 'string' },
              payload: { type: 'string' },
              target: { type: 'string' },
              priority: { type: 'string' },
              'max-attempts': { type: 'string' },
              'timeout-ms': { type: 'string' },
              'not-before': { type: 'string' },
              'idempotency-key': { type: 'string' },
              group: { type: 'string' },
              strategy: { type: 'string' },
            },
          }),
        );
        if (!values.type) throw new ConfigError('task submit: --type is required');
        const request = {
          type: values.type,
          payload: values.payload === undefined ? {} : json('--payload', values.payload),
          target: values.target,
          priority: integer('--priority', values.priority),
          maxAttempts: integer('--max-attempts', values['max-attempts']),
          timeoutMs: integer('--timeout-ms', values['timeout-ms']),
          notBefore: values['not-before'] === undefined ? undefined : instant(values['not-before']),
          idempotencyKey: values['idempotency-key'],
          group: values.group,
          strategy: values.strategy,
        } as RpcParams<'tasks.submit'>;
        const { id, deduplicated } = await client(values.api).call('tasks.submit', request);
        out(deduplicated ? `${id} (already submitted with this idempotency key)` : id);
        return 0;
      }
      case 'get':
      case 'cancel':
      case 'retry': {
        const { values, positionals } = parsed(() =>
          parseArgs({ args: rest, options: common, allowPositionals: true }),
        );
        const [id] = positionals;
        if (!id || positionals.length > 1) throw new ConfigError(`task ${sub}: give exactly one task id`);
        const api = client(values.api);
        if (sub === 'get') out(JSON.stringify(await api.call('tasks.get', { id }), null, 2));
        else out((await api.call(sub === 'cancel' ? 'tasks.cancel' : 'tasks.retry', { id })).state);
        return 0;
      }
      case 'list': {
        const { values } = parsed(() =>
          parseArgs({
            args: rest,
            options: {
              ...common,
              state: { type: 'string' },
              type: { type: 'string' },
              text: { type: 'string' },
              node: { type: 'string' },
              group: { type: 'string' },
              limit: { type: 'string' },
              json: { type: 'boolean' },
            },
          }),
        );
        const { api, json: asJson, limit, ...filters } = values;
        const query = { ...filters, limit: integer('--limit', limit) } as RpcParams<'tasks.list'>;
        const tasks = await client(api).call('tasks.list', query);
        out(asJson ? JSON.stringify(tasks, null, 2) : table(tasks));
        return 0;
      }
      case 'help':
        out(taskUsage);
        return 0;
      default:
        throw new ConfigError(sub === undefined ? taskUsage : `unknown task command "${sub}"\n${taskUsage}`);
    }
  } catch (error) {
    if (!(error instanceof RpcCallError)) throw error;
    const issues = (error.error.issues ?? []).map((issue) => `\n  ${issue.path}: ${issue.message}`).join('');
    throw new (error.error.code === 'invalid_request' ? ConfigError : Error)(`${error.message}${issues}`);
  }
}

/** parseArgs, with an unknown flag or a missing value reported as a usage error. */
function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new ConfigError(`task: ${(error as Error).message}`);
  }
}

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new ConfigError(`${flag}: expected a whole number, got "${value}"`);
  return Number(value);
}

function json(flag: string, value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch (error) {
    throw new ConfigError(`${flag}: not JSON (${(error as Error).message})`);
  }
}

/** Epoch ms, or an ISO 8601 time. */
function instant(value: string): number {
  const at = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(at)) throw new ConfigError(`--not-before: expected an ISO time or epoch ms, got "${value}"`);
  return at;
}

function table(tasks: TaskSummary[]): string {
  if (tasks.length === 0) return 'no tasks';
  const rows = tasks.map((task) => [
    task.id,
    task.state,
    task.type,
    task.node ?? '-',
    `${Math.round(task.progress)}%`,
    new Date(task.createdAt).toISOString(),
  ]);
  return textTable(['ID', 'STATE', 'TYPE', 'NODE', 'PROGRESS', 'CREATED'], rows);
}
