import { ServiceDefinition, type CommandDefinition, type ServiceDefinitionInput } from '../../shared/services.js';
import type { SampleServers } from './sample-servers.js';

export const demoCommandName = 'demo-log-writer';

/**
 * The supervised demo process: a Node script that writes log lines and crashes now and then, so restarts
 * show. It runs on the agent's own Node (inside Electron: Electron's, as Node).
 */
export const demoCommand = (logWriterPath: string): CommandDefinition => ({
  argv: [process.execPath, logWriterPath, '--crash-after', '90000'],
  env: { ELECTRON_RUN_AS_NODE: '1' },
});

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
      id: 'demo-flaky',
      name: 'Payment gateway',
      description: 'Demo: fails about half of its requests, so its check flaps.',
      tags: ['demo', 'http'],
      checks: [{ name: 'status', type: 'http', url: http('/flaky'), intervalMs: 1000, timeoutMs: 800 }],
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
      description: 'Demo: a supervised process that writes log lines and crashes every 90 s.',
      tags: ['demo', 'supervised'],
      supervise: { command: demoCommandName, backoffBaseMs: 1000, backoffMaxMs: 10_000 },
    },
  ];
  return services.map((service) => ServiceDefinition.parse(service));
}
