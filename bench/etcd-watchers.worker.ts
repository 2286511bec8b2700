// A child process of etcd-coordination.bench.ts holding a share of its propagation watchers, as each agent of a
// fleet watches from a process of its own: `count` EtcdBackends watching the member list and `count` bare etcd3
// prefix watchers. Before each round the bench names the member (or key) it is about to write; once every
// watcher here has seen it, the worker reports when each did, on a clock that the processes of one machine share.
import { Etcd3 } from 'etcd3';
import pino from 'pino';
import { EtcdBackend } from '../electron/cluster/etcd/etcd-backend.js';
import { systemClock } from '../electron/core/clock.js';

export interface WatcherOptions {
  endpoints: string[];
  cluster: string;
  count: number;
  barePrefix: string;
}

export type ToWatchers = { type: 'expect'; kind: 'member' | 'bare'; id: string } | { type: 'ping' } | { type: 'stop' };

export type FromWatchers =
  | { type: 'ready' }
  | { type: 'expecting'; id: string }
  | { type: 'seen'; id: string; at: number[] }
  | { type: 'pong'; at: number }
  | { type: 'stopped' };

// performance.now() alone counts from each process's own start; with timeOrigin (the wall clock at that start)
// it reads the same in every process, and still advances monotonically.
const now = () => performance.timeOrigin + performance.now();

if (!process.send) throw new Error('etcd-watchers.worker.js runs as a child process (fork) of the benchmark');
const send = (message: FromWatchers) => process.send!(message);
// The bench is gone (it failed or was killed): nothing left to report to.
process.on('disconnect', () => process.exit(0));

const options = JSON.parse(process.argv[2]!) as WatcherOptions;
const logger = pino({ level: 'silent' });

let round: { kind: 'member' | 'bare'; id: string; at: number[]; left: number } | null = null;
const saw = (index: number, id: string) => {
  const at = now();
  const current = round;
  if (!current || current.id !== id || current.at[index] !== undefined) return;
  current.at[index] = at;
  current.left -= 1;
  if (current.left === 0) {
    round = null;
    send({ type: 'seen', id, at: current.at });
  }
};

const backends = await Promise.all(
  Array.from({ length: options.count }, async () => {
    const backend = new EtcdBackend({
      endpoints: options.endpoints,
      cluster: options.cluster,
      clock: systemClock,
      logger,
    });
    await backend.connect();
    return backend;
  }),
);
backends.forEach((backend, index) =>
  backend.watchMembers((members) => {
    const id = round?.kind === 'member' ? round.id : undefined;
    if (id && members.some((m) => m.record.id === id)) saw(index, id);
  }),
);
// The floor: standing bare etcd3 prefix watchers (no decoding, no member list), one client each.
const bareClients = Array.from({ length: options.count }, () => new Etcd3({ hosts: options.endpoints }));
const bareWatchers = await Promise.all(bareClients.map((client) => client.watch().prefix(options.barePrefix).create()));
bareWatchers.forEach((watcher, index) =>
  watcher.on('put', (kv) => {
    if (round?.kind === 'bare') saw(index, kv.key.toString());
  }),
);

process.on('message', (message: ToWatchers) => {
  switch (message.type) {
    case 'expect':
      round = { kind: message.kind, id: message.id, at: [], left: options.count };
      send({ type: 'expecting', id: message.id });
      break;
    case 'ping':
      send({ type: 'pong', at: now() });
      break;
    case 'stop':
      void (async () => {
        await Promise.all(bareWatchers.map((watcher) => watcher.cancel()));
        bareClients.forEach((client) => client.close());
        for (const backend of backends) await backend.close();
        send({ type: 'stopped' });
        process.disconnect();
      })();
      break;
  }
});
send({ type: 'ready' });
