import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentConfigInput } from '../shared/config.js';
import { runAgent, type RunningAgent } from './agent/run-agent.js';
import { runFleetCredentialCommand } from './cli/fleet-credential-command.js';
import { runTaskCommand } from './cli/task-command.js';
import { runTokenCommand } from './cli/token-command.js';
import { ConfigError, defaultDataDir, loadAgentConfig, loadConfig } from './config/load-config.js';
import { settingOptions } from './config/options.js';
import { errorMessage } from './core/errors.js';
import { createLogger } from './core/logger.js';
import { version } from './core/version.js';
import { startFleetDemo } from './demo/fleet-demo.js';
import { StoreError } from './store/store-error.js';

// Exit codes: 2 for a bad command line or config (the user can fix it), 1 for anything else.
const usage = `Usage: fleetdeck <command> [flags]

Commands:
  demo     run a single-node demo agent and serve the UI (local backend, nothing else needed);
           with --nodes N: a private etcd and N agents (needs etcd on PATH)
  agent    run a headless agent, as on a fleet node
  task     submit, inspect, list, cancel and retry tasks of a running agent (fleetdeck task help)
  token    create, list and revoke API tokens in the data dir (fleetdeck token help)
  fleet-credential create --out <file>
           write a new fleet credential (0600) for the members of a fleet to share
  help     show this text

Flags (each has an environment twin):
${settingOptions.map((o) => `  --${`${o.flag} <value>`.padEnd(25)} ${o.env.padEnd(27)}${o.help}`).join('\n')}
  --version`;

const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));
const resourcesDir = fileURLToPath(new URL('../../resources', import.meta.url));

/** What `demo` changes from a plain agent: the embedded backend, a data dir of its own, the sample services. */
const demoDefaults = (env: NodeJS.ProcessEnv): Partial<AgentConfigInput> => ({
  dataDir: join(defaultDataDir(env), 'demo'),
  backend: { kind: 'local' },
  demo: true,
  log: { format: 'pretty' },
});

async function main(argv: string[]): Promise<number> {
  const [command, ...flags] = argv;
  if (command === '--version') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${usage}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === 'fleet-credential')
    return runFleetCredentialCommand(flags, (text) => process.stdout.write(`${text}\n`));
  if (command === 'task') return runTaskCommand(flags, process.env, (text) => process.stdout.write(`${text}\n`));
  if (command === 'token') {
    const write = (stream: NodeJS.WriteStream) => (text: string) => stream.write(`${text}\n`);
    return runTokenCommand(flags, process.env, {
      out: write(process.stdout),
      err: write(process.stderr),
      now: Date.now,
    });
  }
  if (command !== 'agent' && command !== 'demo') {
    process.stderr.write(`fleetdeck: unknown command "${command}"\n${usage}\n`);
    return 2;
  }

  const { nodes, rest } = takeNodesFlag(flags);
  if (nodes > 1) {
    if (command !== 'demo') throw new ConfigError('--nodes only goes with `fleetdeck demo`');
    return runFleetDemo(nodes, rest);
  }
  const { config, backendOrigin } = loadAgentConfig({
    argv: rest,
    env: process.env,
    base: command === 'demo' ? demoDefaults(process.env) : {},
  });
  const logger = createLogger({ ...config.log, node: config.name });
  const running = await runAgent(config, { logger, rendererDir, resourcesDir, backendOrigin });
  process.stdout.write(`Fleetdeck ${command} ready at ${running.url}\n`);
  return waitForSignal(running);
}

/** `--nodes N` belongs to the CLI, not to the agent config: take it out before the config is read. */
function takeNodesFlag(flags: string[]): { nodes: number; rest: string[] } {
  const index = flags.indexOf('--nodes');
  if (index < 0) return { nodes: 1, rest: flags };
  const value = flags[index + 1] ?? '';
  if (!/^\d$/.test(value) || value === '0')
    throw new ConfigError(`--nodes: expected a number from 1 to 9, got "${value}"`);
  return { nodes: Number(value), rest: withoutFlags(flags, ['--nodes']) };
}

/** The flags minus the named ones and their values. */
const withoutFlags = (flags: string[], names: string[]): string[] =>
  flags.filter((flag, i) => !names.includes(flag) && !names.includes(flags[i - 1] ?? ''));

/** `fleetdeck demo --nodes N`: a private etcd and N agent processes; the first one serves the UI. */
async function runFleetDemo(nodes: number, flags: string[]): Promise<number> {
  // Read once here so a bad flag is reported before anything starts.
  const config = loadConfig({ argv: flags, env: process.env, base: demoDefaults(process.env) });
  const demo = await startFleetDemo({
    nodes,
    dataDir: join(config.dataDir, 'fleet'),
    flags: withoutFlags(flags, ['--data-dir', '--port', '--node-id', '--name']),
    port: config.api.port,
    cliPath: fileURLToPath(new URL('../../bin/fleetdeck.js', import.meta.url)),
  });
  process.stdout.write(`Fleetdeck demo (${nodes} nodes on a private etcd) ready at ${demo.urls[0]}\n`);
  process.stdout.write(`Other nodes: ${demo.urls.slice(1).join(' ')}\n`);
  return waitForSignal(demo);
}

/** Runs until SIGINT/SIGTERM/SIGHUP (terminal closed), then shuts down gracefully; a second signal forces the exit. */
function waitForSignal(running: Pick<RunningAgent, 'stop'>): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`fleetdeck: ${signal} again, exiting without a clean shutdown\n`);
        process.exit(1);
      }
      stopping = true;
      process.stdout.write(`Fleetdeck stopping (${signal})\n`);
      running.stop().then(
        () => resolve(0),
        (error: unknown) => {
          process.stderr.write(`fleetdeck: shutdown failed: ${errorMessage(error)}\n`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal);
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof StoreError;
    process.stderr.write(`fleetdeck: ${known ? error.message : errorMessage(error)}\n`);
    if (!known && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  },
);
