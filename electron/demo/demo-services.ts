import { ServiceDefinition, type CommandDefinition, type ServiceDefinitionInput } from '../../shared/services.js';
import type { DemoNodeProfile } from './demo-nodes.js';
import type { SampleServers } from './sample-servers.js';

export const demoCommandName = 'demo-log-writer';
export const demoQueueCommandName = 'demo-queue-depth';

/** Commands run on the agent's own Node (inside Electron: Electron's, as Node). */
const onNode = (...args: string[]): CommandDefinition => ({
  argv: [process.execPath, ...args],
  env: { ELECTRON_RUN_AS_NODE: '1' },
});

/**
 * The supervised demo process: a Node script that writes log lines and crashes every 5 minutes, so restarts show
 * (fewer than the supervisor's limit of 5 in 10 minutes: it is restarted every time).
 */
export const demoCommand = (logWriterPath: string): CommandDefinition =>
  onNode(logWriterPath, '--crash-after', '300000');

/** Reports the job queue's backlog around the given level; a backlog above 1,000 is a warning (exit 1). */
const queueDepthScript = `const backlog = Math.round(Number(process.argv[1]) * (0.9 + Math.random() * 0.2));
console.log(backlog + ' jobs waiting (warning above 1000)');
process.exit(backlog > 1000 ? 1 : 0);`;

/** The queue check's command: a backlog around 1,240 jobs (always a warning) with `backlog`, around 40 without. */
export const demoQueueCommand = ({ queueBacklog }: DemoNodeProfile): CommandDefinition =>
  onNode('-e', queueDepthScript, queueBacklog ? '1240' : '40');

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
      description: 'Demo: a backlog above its warning level (on the one-node demo and demo-2).',
      tags: ['demo', 'script'],
      checks: [{ name: 'backlog', type: 'script', command: demoQueueCommandName, intervalMs: 10_000, timeoutMs: 5000 }],
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
