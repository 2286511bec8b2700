// RPC cost of the full agent path (Host/Origin check, dispatcher, zod validation of params and result,
// metrics) against a bare Fastify route that returns the same JSON, both over loopback HTTP in this run.
import Fastify from 'fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { runAgent } from '../electron/agent/run-agent.js';
import { AgentConfig } from '../shared/config.js';
import { fmt, machine, measureInterleaved, measureThroughput } from './support.js';

const running = await runAgent(
  AgentConfig.parse({
    name: 'bench',
    dataDir: mkdtempSync(join(tmpdir(), 'fleetdeck-bench-')),
    api: { port: 0 },
    log: { level: 'silent' },
  }),
  { logger: pino({ level: 'silent' }), rendererDir: null },
);
const status = await (await fetch(`${running.url}/rpc/node.status`, { method: 'POST' })).json();

const bare = Fastify({ logger: false });
bare.post('/rpc/node.status', async () => status);
await bare.listen({ host: '127.0.0.1', port: 0 });
const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

const call = (base: string) => () =>
  fetch(`${base}/rpc/node.status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  }).then((r) => r.json());

await measureInterleaved({ baseline: call(bareUrl), agent: call(running.url) }, 1, 300); // warm-up
const { baseline, agent } = await measureInterleaved({ baseline: call(bareUrl), agent: call(running.url) }, 6, 500);
const baselineRps = await measureThroughput(call(bareUrl), 16, 3000);
const agentRps = await measureThroughput(call(running.url), 16, 3000);

console.log(`# rpc-overhead (${machine()})`);
console.log('| figure | bare Fastify (baseline) | agent node.status | ratio |');
console.log('|---|---|---|---|');
console.log(
  `| latency p50 (ms) | ${fmt(baseline.p50, 3)} | ${fmt(agent.p50, 3)} | ${fmt(agent.p50 / baseline.p50)}× |`,
);
console.log(
  `| latency p99 (ms) | ${fmt(baseline.p99, 3)} | ${fmt(agent.p99, 3)} | ${fmt(agent.p99 / baseline.p99)}× |`,
);
console.log(
  `| throughput, 16 callers (req/s) | ${fmt(baselineRps, 0)} | ${fmt(agentRps, 0)} | ${fmt(agentRps / baselineRps)}× |`,
);

await bare.close();
await running.stop();
