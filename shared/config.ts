import { z } from 'zod';
import { TasksConfig } from './tasks.js';
import { AlertRule } from './alerts.js';
import { Labels, NodeId, NodeRole } from './ids.js';
import { LogPattern } from './log-patterns.js';
import { CommandDefinition, ServiceDefinition, Slug, undefinedCommands } from './services.js';

export const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
/** How log lines are written: JSON for collectors, or one readable line each for a terminal. */
export const LogFormat = z.enum(['json', 'pretty']);
export type LogFormat = z.infer<typeof LogFormat>;

export const ApiConfig = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    /** 0 asks the OS for a free port (tests use it). */
    port: z.number().int().min(0).max(65535).default(7420),
    /** Extra Host names (host or host:port) the API accepts besides loopback and this machine's own addresses. */
    allowedHosts: z.array(z.string().min(1)).default([]),
    /**
     * Whether every request to the API needs a token: `auto` when bound beyond loopback, `required` always (a
     * loopback agent that must not serve other local users, and tests).
     */
    auth: z.enum(['auto', 'required']).default('auto'),
    /** Serve HTTPS: PEM certificate and key; with `clientCaFile`, callers must present a certificate it signed. */
    tls: z
      .object({
        certFile: z.string().min(1),
        keyFile: z.string().min(1),
        clientCaFile: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** How members of one fleet reach each other's APIs. */
export const FleetLinkConfig = z
  .object({
    /** File holding the fleet credential, the same on every member (0600); sent on every call between members. */
    tokenFile: z.string().min(1).optional(),
    /** CA that signed the members' API certificates, for members whose `apiUrl` is https. */
    caFile: z.string().min(1).optional(),
  })
  .strict();

/** Files that values from the API or the fleet (not this config file) may name, e.g. a check's `caFile`. */
export const FileAccessConfig = z
  .object({
    /** Absolute directories; a named file must resolve (symlinks followed) inside one of them. */
    readDirs: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const LocalBackendConfig = z.object({ kind: z.literal('local') }).strict();

export const EtcdBackendConfig = z
  .object({
    kind: z.literal('etcd'),
    endpoints: z.array(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })).min(1),
    /** PEM files; `certFile` and `keyFile` together for client-certificate auth. */
    tls: z
      .object({
        caFile: z.string().min(1),
        certFile: z.string().min(1).optional(),
        keyFile: z.string().min(1).optional(),
      })
      .strict()
      .refine((tls) => (tls.certFile === undefined) === (tls.keyFile === undefined), {
        message: 'certFile and keyFile go together',
        path: ['certFile'],
      })
      .optional(),
    /** etcd user/password auth (keep the config file readable by the agent's user only). */
    auth: z
      .object({ username: z.string().min(1), password: z.string().min(1) })
      .strict()
      .optional(),
    dialTimeoutMs: z.number().int().min(100).max(60_000).default(3000),
  })
  .strict();
export type EtcdBackendConfig = z.infer<typeof EtcdBackendConfig>;

/** One entry per coordination adapter; each adapter's settings live in its own object. */
export const BackendConfig = z.discriminatedUnion('kind', [LocalBackendConfig, EtcdBackendConfig]);
export type BackendConfig = z.infer<typeof BackendConfig>;

export const ResourceMonitorConfig = z
  .object({
    intervalMs: z.number().int().min(200).max(3_600_000).default(2000),
  })
  .strict();

export const AgentConfig = z
  .object({
    /** Stable identity in the fleet. When absent the agent generates one and keeps it in its database. */
    nodeId: NodeId.optional(),
    name: z.string().min(1).max(128),
    role: NodeRole.default('agent'),
    labels: Labels.default({}),
    dataDir: z.string().min(1),
    /** Key prefix that separates fleets sharing one coordination backend. */
    cluster: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 characters of a-z, 0-9 or "-"')
      .default('default'),
    /** Seconds a member stays registered after its last keepalive. */
    leaseTtlSeconds: z.number().int().min(2).max(300).default(10),
    /** Members gone or overdue. */
    members: z
      .object({
        /**
         * Longest time this node goes without rewriting its member record (an unchanged summary is written only then);
         * a member whose record is 3 heartbeats overdue is marked stale. Keep it the same on every member.
         */
        heartbeatSeconds: z.number().int().min(1).max(300).default(30),
        /** How long a member gone without a graceful leave stays listed as down, unless it returns or is forgotten. */
        downRetentionDays: z.number().int().min(1).max(3650).default(7),
      })
      .strict()
      .prefault({}),
    /** Whether this node stands for leader. Defaults to true for agents, false for consoles. */
    campaign: z.boolean().optional(),
    api: ApiConfig.prefault({}),
    fleetLink: FleetLinkConfig.prefault({}),
    files: FileAccessConfig.prefault({}),
    backend: BackendConfig.prefault({ kind: 'local' }),
    resources: ResourceMonitorConfig.prefault({}),
    /** Services defined here are read-only in the UI; their checks and supervised commands may use `commands`. */
    services: z.array(ServiceDefinition).default([]),
    /** The only command lines this node runs (script checks, supervised services), referenced by name. */
    commands: z.record(Slug, CommandDefinition).default({}),
    /**
     * Log files this node scans for patterns, by source name (supervised services' output is scanned too, under
     * the service id). Only files named here are ever read: a pattern saved for the fleet names sources, not paths.
     */
    logFiles: z.record(Slug, z.string().min(1)).default({}),
    /**
     * How long one log pattern may match one batch of lines (about 64 KB) before it is cut off and disabled; the same
     * budget bounds the editor's "Try it". Matching runs in a worker thread, so this bounds wasted CPU, not stalls.
     */
    logMatchBudgetMs: z.number().int().min(100).max(60_000).default(2000),
    /** Log patterns of this node (read-only in the UI); patterns for the whole fleet are saved in a console. */
    logPatterns: z.array(LogPattern).default([]),
    /** Alert rules of this node (read-only in the UI); rules for the whole fleet are saved in a console. */
    alertRules: z.array(AlertRule).default([]),
    /** Alert notifications: `consoleUrl` is where a Slack message links back to (no link without it). */
    notifications: z
      .object({ consoleUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional() })
      .strict()
      .prefault({}),
    /** The durable task queue on this node: concurrency, placement default, leases, exec arguments, cron. */
    tasks: TasksConfig.prefault({}),
    history: z
      .object({
        /** Raw check results and resource samples are kept this long, then only per-minute roll-ups. */
        rawRetentionHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 30)
          .default(24),
        rollupRetentionDays: z.number().int().min(1).max(3650).default(90),
      })
      .strict()
      .prefault({}),
    audit: z
      .object({
        /** Audit records of mutating calls are kept this long. */
        retentionDays: z.number().int().min(1).max(3650).default(90),
      })
      .strict()
      .prefault({}),
    /** Start the sample services on loopback (the demo); removing them once keeps them removed. */
    demo: z.boolean().default(false),
    log: z
      .object({ level: LogLevel.default('info'), format: LogFormat.default('json') })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    config.services.forEach((service, index) => {
      for (const problem of undefinedCommands(service, config.commands)) {
        ctx.addIssue({ code: 'custom', path: ['services', index, ...problem.path], message: problem.message });
      }
    });
    const lists = { services: config.services, logPatterns: config.logPatterns, alertRules: config.alertRules };
    for (const [path, list] of Object.entries(lists)) {
      const ids = list.map((entry) => entry.id);
      const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
      if (duplicate) ctx.addIssue({ code: 'custom', path: [path], message: `id "${duplicate}" is used twice` });
    }
  });
export type AgentConfig = z.infer<typeof AgentConfig>;
/** What a config file may contain: every field optional, defaults filled in by the loader. */
export type AgentConfigInput = z.input<typeof AgentConfig>;
