import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../core/free-port.js';

/** A single-member etcd on loopback, owned by this process (the multi-node demo). */
export interface PrivateEtcd {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Where the etcd binary is, or an error saying how to get it. */
export function findEtcd(): string {
  const found = spawnSync('sh', ['-c', 'command -v etcd'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path) {
    throw new Error('etcd is not on PATH: install it (Debian/Ubuntu: apt-get install etcd-server) or use --nodes 1');
  }
  return path;
}

/** Starts etcd with its data under `dataDir` and waits (up to `timeoutMs`) until it answers /health. */
export async function startPrivateEtcd(dataDir: string, timeoutMs = 15_000): Promise<PrivateEtcd> {
  const binary = findEtcd();
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(
    binary,
    [
      '--name',
      'fleetdeck-demo',
      '--data-dir',
      join(dataDir, 'etcd'),
      '--listen-client-urls',
      endpoint,
      '--advertise-client-urls',
      endpoint,
      '--listen-peer-urls',
      peer,
      '--initial-advertise-peer-urls',
      peer,
      '--initial-cluster',
      `fleetdeck-demo=${peer}`,
    ],
    // Its own process group: a Ctrl+C in the terminal reaches only the demo, which stops etcd after the agents.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let exited: string | null = null;
  const output: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  child.once('exit', (code, signal) => (exited = `etcd exited (${signal ?? code}): ${output.join('').slice(-500)}`));

  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(exited);
    const healthy = await fetch(`${endpoint}/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (healthy) break;
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`etcd did not become healthy within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    endpoint,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
