import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentConfigInput } from '../shared/config.js';
import { runAgent, type RunningAgent } from './agent/run-agent.js';
import { ConfigError, defaultDataDir, loadConfig } from './config/load-config.js';
import { settingOptions } from './config/options.js';
import { errorMessage } from './core/errors.js';
import { createLogger } from './core/logger.js';
import { version } from './core/version.js';
import { StoreError } from './store/store-error.js';

// Exit codes: 2 for a bad command line or config (the user can fix it), 1 for anything else.
const usage = `Usage: fleetdeck <command> [flags]

Commands:
  demo     run a single-node demo agent and serve the UI (local backend, nothing else needed)
  agent    run a headless agent, as on a fleet node
  help     show this text

Flags (each has an environment twin):
${settingOptions.map((o) => `  --${`${o.flag} <value>`.padEnd(22)} ${o.env.padEnd(22)} ${o.help}`).join('\n')}
  --version`;

const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));
const resourcesDir = fileURLToPath(new URL('../../resources', import.meta.url));

/** What `demo` changes from a plain agent: the embedded backend, a data dir of its own, the sample services. */
const demoDefaults = (env: NodeJS.ProcessEnv): Partial<AgentConfigInput> => ({
  dataDir: join(defaultDataDir(env), 'demo'),
  backend: { kind: 'local' },
  demo: true,
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
  if (command !== 'agent' && command !== 'demo') {
    process.stderr.write(`fleetdeck: unknown command "${command}"\n${usage}\n`);
    return 2;
  }

  const config = loadConfig({
    argv: flags,
    env: process.env,
    base: command === 'demo' ? demoDefaults(process.env) : {},
  });
  const logger = createLogger(config.log.level);
  const running = await runAgent(config, { logger, rendererDir, resourcesDir });
  process.stdout.write(`Fleetdeck ${command} ready at ${running.url}\n`);
  return waitForSignal(running);
}

/** Runs until SIGINT/SIGTERM, then shuts down gracefully; a second signal forces the exit. */
function waitForSignal(running: RunningAgent): Promise<number> {
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
