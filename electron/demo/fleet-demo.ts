import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { demoCluster, demoNodeId } from './demo-nodes.js';
import { startPrivateEtcd, type PrivateEtcd } from './private-etcd.js';

export interface FleetDemoOptions {
  nodes: number;
  /** The demo's data dir: etcd and each node get a folder in it. */
  dataDir: string;
  /** Flags passed on to every node (after the ones the fleet demo sets). */
  flags: string[];
  /** API port of the first node; the others take free ports. */
  port: number;
  cliPath: string;
}

export interface FleetDemo {
  urls: string[];
  stop(): Promise<void>;
}

/** Waits for a child agent's "ready at <url>" line; rejects if it exits first. */
function readyUrl(child: ChildProcess, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const match = /ready at (http:\/\/\S+)/.exec(buffer);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
  });
}

const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/**
 * A real multi-node fleet on one machine: a private etcd and `nodes` agents, each a separate process with
 * its own data dir and the demo services, all coordinating through that etcd.
 */
export async function startFleetDemo(options: FleetDemoOptions): Promise<FleetDemo> {
  const etcd: PrivateEtcd = await startPrivateEtcd(options.dataDir);
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    await etcd.stop();
  };
  try {
    const urls: string[] = [];
    for (let i = 1; i <= options.nodes; i += 1) {
      const name = demoNodeId(i);
      const child = spawn(
        process.execPath,
        [
          options.cliPath,
          'demo',
          ...options.flags,
          ...['--backend', 'etcd', '--etcd-endpoints', etcd.endpoint, '--cluster', demoCluster],
          ...['--node-id', name, '--name', name, '--data-dir', join(options.dataDir, name)],
          ...['--port', String(i === 1 ? options.port : 0)],
        ],
        // Its own process group: a Ctrl+C in the terminal signals the whole foreground group, and an agent that got
        // SIGINT from the terminal and then SIGTERM from `stop` would take the second signal as "exit now".
        { stdio: ['ignore', 'pipe', 'inherit'], detached: true },
      );
      children.push(child);
      urls.push(await readyUrl(child, name));
    }
    return { urls, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
