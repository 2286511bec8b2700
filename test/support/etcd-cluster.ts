import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../../electron/core/free-port.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCa } from './openssl-ca.js';

const ETCD = '/usr/bin/etcd';
const ETCDCTL = '/usr/bin/etcdctl';
const NOT_INSTALLED = 'etcd is not installed: apt-get install etcd-server etcd-client';

export interface StartEtcdOptions {
  members: 1 | 3;
  /** Client URLs over https with client-certificate auth (a fresh CA, server and client certificate). */
  tls?: boolean;
  /** Enables etcd auth: a `root` user with the same password, and `user` with read/write on `fleetdeck/`. */
  auth?: { user: string; password: string };
  /** Raft heartbeat; the election timeout is 10 times this. Low so that tests are quick. */
  heartbeatMs?: number;
}

export interface EtcdMember {
  readonly name: string;
  /** The process id while it runs, else null. */
  readonly pid: number | null;
  readonly clientUrl: string;
  readonly running: boolean;
  /** Sends the signal (SIGKILL by default) and waits until the process is gone; the data dir is kept. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the member again on its data dir and waits until it serves (needs a quorum of running members). */
  restart(): Promise<void>;
}

export interface EtcdCtlResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface EtcdCluster {
  /** One client URL per member, as the etcd backend takes them. */
  readonly endpoints: string[];
  /** The same URLs (the name etcd gives them). */
  readonly clientUrls: string[];
  readonly members: EtcdMember[];
  /** Runs etcdctl (API v3) against every member (or `endpoints`), as root when auth is on; never throws. */
  etcdctl(args: string[], options?: { endpoints?: string[] }): Promise<EtcdCtlResult>;
  /** PEM files when started with `tls`: the CA etcd trusts and a client certificate it accepts. */
  readonly tls?: { caFile: string; certFile: string; keyFile: string };
  /** Kills every member (data kept): etcd is down until startAll(). */
  stopAll(): Promise<void>;
  /** Starts every stopped member and waits until the cluster serves. */
  startAll(): Promise<void>;
  /** Kills every member and removes the data. */
  stop(): Promise<void>;
}

/** Every etcd process any cluster started, killed if the test process exits without stopping them. */
const liveProcesses = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackProcess(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const running of liveProcesses) running.kill('SIGKILL');
    });
  }
  liveProcesses.add(child);
  child.once('exit', () => liveProcesses.delete(child));
}

function runEtcdctl(args: string[], timeoutMs = 10_000): Promise<EtcdCtlResult> {
  return new Promise((resolve) => {
    execFile(
      ETCDCTL,
      args,
      { env: { ...process.env, ETCDCTL_API: '3' }, timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ stdout: String(stdout), stderr: String(stderr), code });
      },
    );
  });
}

async function poll(what: string, probe: () => Promise<boolean>, timeoutMs: number, detail: () => string) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline)
      throw new Error(`etcd: timed out after ${timeoutMs} ms waiting for ${what}\n${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made with the openssl CLI. */
function makeCertificates(dir: string) {
  const usage = { basicConstraints: 'CA:FALSE', keyUsage: 'critical, digitalSignature, keyEncipherment' };
  const ca = createTestCa(dir, {
    subject: '/CN=Fleetdeck etcd test CA',
    days: 30,
    extensions: {
      server: { ...usage, extendedKeyUsage: 'serverAuth, clientAuth', subjectAltName: 'IP:127.0.0.1' },
      client: { ...usage, extendedKeyUsage: 'clientAuth' },
    },
  });
  return {
    caFile: ca.certFile,
    server: ca.issue('server', { subject: '/CN=127.0.0.1', days: 30, extensions: 'server' }),
    client: ca.issue('client', { subject: '/CN=fleetdeck-test-client', days: 30, extensions: 'client' }),
  };
}

/**
 * Starts real etcd processes on free loopback ports, each with a data dir of its own, and waits until the
 * cluster serves. Throws when etcd is not installed: these tests are never skipped silently.
 */
export async function startEtcdCluster(options: StartEtcdOptions): Promise<EtcdCluster> {
  if (!existsSync(ETCD) || !existsSync(ETCDCTL)) throw new Error(NOT_INSTALLED);
  // Data under /dev/shm when there is one: fsync on tmpfs is free, which keeps a loaded machine's raft quick.
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const root = mkdtempSync(join(base, 'fleetdeck-etcd-'));
  const heartbeat = options.heartbeatMs ?? 50;
  const scheme = options.tls ? 'https' : 'http';
  const certs = options.tls ? makeCertificates(join(root, 'tls')) : undefined;
  const token = `fleetdeck-${process.pid}-${Date.now()}`;

  const specs = [];
  for (let index = 0; index < options.members; index++) {
    specs.push({
      name: `etcd-${index}`,
      clientUrl: `${scheme}://127.0.0.1:${await freePort()}`,
      peerUrl: `http://127.0.0.1:${await freePort()}`,
      dataDir: join(root, `etcd-${index}`),
    });
  }
  const initialCluster = specs.map((spec) => `${spec.name}=${spec.peerUrl}`).join(',');
  const endpoints = specs.map((spec) => spec.clientUrl);

  const tlsFlags = certs
    ? [`--cacert=${certs.caFile}`, `--cert=${certs.client.certFile}`, `--key=${certs.client.keyFile}`]
    : [];
  let authEnabled = false;
  const ctlArgs = (targets: string[], args: string[]) => [
    `--endpoints=${targets.join(',')}`,
    '--dial-timeout=2s',
    '--command-timeout=5s',
    ...tlsFlags,
    ...(authEnabled && options.auth ? [`--user=root:${options.auth.password}`] : []),
    ...args,
  ];

  const members = specs.map((spec) => {
    let child: ChildProcess | null = null;
    const log: string[] = [];
    const start = () => {
      const args = [
        `--name=${spec.name}`,
        `--data-dir=${spec.dataDir}`,
        `--listen-client-urls=${spec.clientUrl}`,
        `--advertise-client-urls=${spec.clientUrl}`,
        `--listen-peer-urls=${spec.peerUrl}`,
        `--initial-advertise-peer-urls=${spec.peerUrl}`,
        `--initial-cluster=${initialCluster}`,
        '--initial-cluster-state=new',
        `--initial-cluster-token=${token}`,
        `--heartbeat-interval=${heartbeat}`,
        `--election-timeout=${heartbeat * 10}`,
        '--logger=zap',
        '--log-level=warn',
        '--log-outputs=stderr',
        ...(certs
          ? [
              `--cert-file=${certs.server.certFile}`,
              `--key-file=${certs.server.keyFile}`,
              `--trusted-ca-file=${certs.caFile}`,
              '--client-cert-auth',
            ]
          : []),
      ];
      const started = spawn(ETCD, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      started.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        log.push(...chunk.split('\n').filter(Boolean));
        log.splice(0, Math.max(0, log.length - 50));
      });
      started.once('error', (error) => log.push(`spawn failed: ${error.message}`));
      trackProcess(started);
      child = started;
    };
    const healthy = async () => {
      if (!child || child.exitCode !== null) return false;
      return (await runEtcdctl(ctlArgs([spec.clientUrl], ['endpoint', 'health']), 5000)).code === 0;
    };
    const waitHealthy = () =>
      poll(`${spec.name} to serve`, healthy, 30_000, () => `${spec.name} log:\n${log.slice(-15).join('\n')}`);
    const member = {
      name: spec.name,
      clientUrl: spec.clientUrl,
      get pid() {
        return child && child.exitCode === null && child.signalCode === null ? (child.pid ?? null) : null;
      },
      get running() {
        return member.pid !== null;
      },
      start,
      waitHealthy,
      async kill(signal: NodeJS.Signals = 'SIGKILL') {
        const running = child;
        child = null;
        if (!running || running.exitCode !== null || running.signalCode !== null) return;
        const exited = new Promise((resolve) => running.once('exit', resolve));
        running.kill(signal);
        await exited;
      },
      async restart() {
        await member.kill();
        start();
        await waitHealthy();
      },
    };
    return member;
  });

  const startAll = async () => {
    for (const member of members) if (!member.running) member.start();
    await Promise.all(members.map((member) => member.waitHealthy()));
  };
  const stopAll = async () => {
    await Promise.all(members.map((member) => member.kill()));
  };
  const stop = async () => {
    await stopAll();
    rmSync(root, { recursive: true, force: true });
  };
  // etcdctl appends repeated --endpoints flags rather than replacing them: pass the targets here.
  const etcdctl = (args: string[], options: { endpoints?: string[] } = {}) =>
    runEtcdctl(ctlArgs(options.endpoints ?? endpoints, args));

  try {
    await startAll();
    if (options.auth) await enableAuth(etcdctl, options.auth);
    authEnabled = options.auth !== undefined;
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    endpoints,
    clientUrls: endpoints,
    members,
    etcdctl,
    ...(certs ? { tls: { caFile: certs.caFile, ...certs.client } } : {}),
    stopAll,
    startAll,
    stop,
  };
}

/** root (needed by `auth enable`) and a normal user whose role may read and write `fleetdeck/` only. */
async function enableAuth(
  etcdctl: (args: string[]) => Promise<EtcdCtlResult>,
  auth: { user: string; password: string },
): Promise<void> {
  const steps = [
    ['user', 'add', `root:${auth.password}`, '--interactive=false'],
    ['user', 'grant-role', 'root', 'root'],
    ['role', 'add', 'fleetdeck'],
    ['role', 'grant-permission', 'fleetdeck', '--prefix=true', 'readwrite', 'fleetdeck/'],
    ['user', 'add', `${auth.user}:${auth.password}`, '--interactive=false'],
    ['user', 'grant-role', auth.user, 'fleetdeck'],
    ['auth', 'enable'],
  ];
  for (const step of steps) {
    const result = await etcdctl(step);
    // `user grant-role root root` fails on versions where adding root grants the role already.
    if (result.code !== 0 && !(step[1] === 'grant-role' && step[2] === 'root')) {
      throw new Error(`etcdctl ${step.join(' ')} failed: ${result.stderr || result.stdout}`);
    }
  }
}
