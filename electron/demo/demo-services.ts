import {
  ServiceDefinition,
  type CommandDefinition,
  type ResultStatus,
  type ServiceDefinitionInput,
} from '../../shared/services.js';
import type { DemoNodeProfile } from './demo-nodes.js';
import type { SampleServers } from './sample-servers.js';

export const demoCommandName = 'demo-log-writer';

/**
 * The supervised demo process: a Node script that writes log lines and crashes every 5 minutes, so restarts show
 * (fewer than the supervisor's limit of 5 in 10 minutes: it is restarted every time). It runs on the agent's own
 * Node (inside Electron: Electron's, as Node).
 */
export const demoCommand = (logWriterPath: string): CommandDefinition => ({
  argv: [process.execPath, logWriterPath, '--crash-after', '300000'],
  env: { ELECTRON_RUN_AS_NODE: '1' },
});

/** How often the demo's job queue reports its backlog (its TTL check allows three times as long). */
export const QUEUE_REPORT_MS = 10_000;
const QUEUE_WARNING_ABOVE = 1000;

/**
 * What the job queue reports, as a batch system pushes to a TTL check: its backlog, ±10 % around 1,240 jobs with the
 * profile's backlog (always above the warning level of 1,000) or around 40 without. `roll` is a random number in [0, 1).
 */
export function demoQueueReport({ queueBacklog }: DemoNodeProfile, roll: number) {
  const backlog = Math.round((queueBacklog ? 1240 : 40) * (0.9 + roll * 0.2));
  const status: ResultStatus = backlog > QUEUE_WARNING_ABOVE ? 'warning' : 'passing';
  return { status, output: `${backlog} jobs waiting (warning above ${QUEUE_WARNING_ABOVE})` };
}

/** The sample services, pointed at this run's loopback servers. Every id starts with `demo-`. */
export function demoServices({ httpPort, tcpPort, grpcPort }: SampleServers): ServiceDefinition[] {
  const http = (path: string) => `http://127.0.0.1:${httpPort}${path}`;
  const services: ServiceDefinitionInput[] = [
    {
      id: 'demo-web',
      name: 'Web front end',
      description: 'Demo: a healthy HTTP service.',
      tags: ['demo', 'http'],
      checks: [{ name: 'home', type: 'http', url: http('/healthy'), intervalMs: 2000, timeoutMs: 1000 }],
    },
    {
      id: 'demo-slow-api',
      name: 'Reporting API',
      description: 'Demo: answers, but slowly (0.7-1.3 s).',
      tags: ['demo', 'http'],
      checks: [{ name: 'report', type: 'http', url: http('/slow'), intervalMs: 3000, timeoutMs: 2500 }],
    },
    {
      id: 'demo-payments',
      name: 'Payment gateway',
      description: 'Demo: its provider has an outage now and then (on the one-node demo and demo-1).',
      tags: ['demo', 'http'],
      checks: [{ name: 'status', type: 'http', url: http('/payments'), intervalMs: 2000, timeoutMs: 1000 }],
    },
    {
      id: 'demo-queue',
      name: 'Job queue',
      description: 'Demo: reports its backlog every 10 s, above the warning level on the one-node demo and demo-2.',
      tags: ['demo', 'ttl'],
      checks: [{ name: 'backlog', type: 'ttl', ttlMs: 3 * QUEUE_REPORT_MS }],
    },
    {
      id: 'demo-cache',
      name: 'Cache',
      description: 'Demo: a TCP service.',
      tags: ['demo', 'tcp'],
      checks: [{ name: 'port', type: 'tcp', host: '127.0.0.1', port: tcpPort, intervalMs: 2000, timeoutMs: 1000 }],
    },
    {
      id: 'demo-inventory',
      name: 'Inventory (gRPC)',
      description: 'Demo: a gRPC service with the standard health protocol.',
      tags: ['demo', 'grpc'],
      checks: [
        {
          name: 'health',
          type: 'grpc',
          address: `127.0.0.1:${grpcPort}`,
          service: 'demo.Inventory',
          intervalMs: 2000,
          timeoutMs: 1000,
        },
      ],
    },
    {
      id: 'demo-worker',
      name: 'Log worker',
      description: 'Demo: a supervised process that writes log lines and crashes every 5 minutes.',
      tags: ['demo', 'supervised'],
      supervise: { command: demoCommandName, backoffBaseMs: 1000, backoffMaxMs: 10_000 },
    },
  ];
  return services.map((service) => ServiceDefinition.parse(service));
}
