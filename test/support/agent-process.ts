import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentConfigInput } from '../../shared/config.js';
import { waitFor } from './poll.js';

export const repoRoot = new URL('../..', import.meta.url).pathname;
export const cliPath = join(repoRoot, 'bin/fleetdeck.js');

export interface AgentProcess {
  readonly child: ChildProcess;
  /** Base URL printed by the CLI once the API is up, e.g. http://127.0.0.1:43121 */
  readonly url: string;
  readonly dataDir: string;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Sends the signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartAgentOptions {
  command?: 'agent' | 'demo';
  args?: string[];
  env?: Record<string, string>;
  /** Written to <dataDir>/fleetdeck.yaml... as JSON and passed with --config. */
  config?: AgentConfigInput | Record<string, unknown>;
  dataDir?: string;
  readyTimeoutMs?: number;
}

export function tempDir(prefix = 'fleetdeck-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function assertBuilt(): void {
  if (!existsSync(join(repoRoot, 'dist/electron/cli.js')) || !existsSync(join(repoRoot, 'dist/renderer/index.html'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does it for you)');
  }
}

/** Flags that join an agent process, named `name`, to fleet `cluster` on etcd; a 3 s lease, so a killed one leaves soon. */
export const etcdFleetArgs = (endpoint: string, cluster: string, name: string): string[] => [
  '--backend',
  'etcd',
  '--etcd-endpoints',
  endpoint,
  '--lease-ttl',
  '3',
  '--cluster',
  cluster,
  '--name',
  name,
];

/** Runs `fleetdeck <command>` as a real child process on a free loopback port and waits until it prints its URL. */
export async function startAgentProcess(options: StartAgentOptions = {}): Promise<AgentProcess> {
  assertBuilt();
  const dataDir = options.dataDir ?? tempDir();
  const args = [cliPath, options.command ?? 'agent', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0'];
  if (options.config) {
    const file = join(dataDir, 'test-config.json');
    writeFileSync(file, JSON.stringify(options.config));
    args.push('--config', file);
  }
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, FLEETDECK_LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitedEarly: number | null | undefined;
  void exited.then((code) => (exitedEarly = code));
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => stdout.push(...chunk.split('\n').filter(Boolean)));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(...chunk.split('\n').filter(Boolean)));

  const url = await waitFor(
    'the agent to print its URL',
    () => {
      if (exitedEarly !== undefined) {
        throw new Error(`agent exited with ${exitedEarly}: ${[...stdout, ...stderr].slice(-5).join('\n')}`);
      }
      return stdout.map((line) => /ready at (https?:\/\/\S+)/.exec(line)?.[1]).find(Boolean);
    },
    { timeoutMs: options.readyTimeoutMs ?? 15_000 },
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });

  return {
    child,
    url: url.replace(/\/$/, ''),
    dataDir,
    stdout,
    stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
