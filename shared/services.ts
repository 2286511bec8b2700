import { z } from 'zod';
import { EpochMs } from './ids.js';
import { parseMetricSelector } from './metric-selector.js';

/** Service ids, check names and command names are used in URLs, metric labels and file names. */
export const Slug = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    'must be 1-63 characters of a-z, 0-9, "_" or "-", starting with a letter or digit',
  );

/** What one run of a check found. `unknown`: the checker itself failed (a bug or a missing command), not the service. */
export const ResultStatus = z.enum(['passing', 'warning', 'critical', 'unknown']);
export type ResultStatus = z.infer<typeof ResultStatus>;

/** A check's state after anti-flap rules: a run's result only moves it after enough agreeing runs. */
export const CheckStatus = z.enum(['passing', 'warning', 'critical', 'flapping', 'unknown']);
export type CheckStatus = z.infer<typeof CheckStatus>;

/** Worst first: a service shows the worst status of its checks. */
export const statusSeverity: Record<CheckStatus, number> = {
  critical: 4,
  flapping: 3,
  warning: 2,
  unknown: 1,
  passing: 0,
};

const StatusClass = z.enum(['1xx', '2xx', '3xx', '4xx', '5xx']);
const StatusCode = z.number().int().min(100).max(599);

const CheckTiming = {
  name: Slug,
  intervalMs: z.number().int().min(200).max(86_400_000).default(10_000),
  timeoutMs: z.number().int().min(50).max(600_000).default(5_000),
  /** Extra attempts within one run after a non-passing result, with exponential backoff and full jitter. */
  retries: z.number().int().min(0).max(10).default(0),
  retryBaseMs: z.number().int().min(1).max(60_000).default(200),
  retryMaxMs: z.number().int().min(1).max(600_000).default(5_000),
  /** Consecutive non-passing runs before the status leaves passing (Consul's failures_before_critical). */
  failuresBeforeCritical: z.number().int().min(1).max(100).default(1),
  /** Consecutive passing runs before a failing check counts as passing again. */
  successesBeforePassing: z.number().int().min(1).max(100).default(1),
};

export const HttpCheck = z
  .object({
    ...CheckTiming,
    type: z.literal('http'),
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
    headers: z
      .record(
        z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name'),
        z.string().regex(/^[^\r\n]*$/, 'must not contain line breaks'),
      )
      .default({}),
    body: z.string().max(65_536).optional(),
    /** Status codes or classes that count as passing. */
    expectStatus: z
      .array(z.union([StatusCode, StatusClass]))
      .min(1)
      .default(['2xx']),
    /** RE2 syntax (linear time): the body must match. */
    bodyRegex: z.string().max(1000).optional(),
    /** Warn when the server certificate expires within this many days. */
    tlsExpiryWarningDays: z.number().int().min(0).max(365).default(14),
    /** PEM file of an extra CA to trust (self-signed internal services). */
    caFile: z.string().min(1).optional(),
  })
  .strict();

export const TcpCheck = z
  .object({ ...CheckTiming, type: z.literal('tcp'), host: z.string().min(1), port: z.number().int().min(1).max(65535) })
  .strict();

export const GrpcCheck = z
  .object({
    ...CheckTiming,
    type: z.literal('grpc'),
    /** host:port of the server. */
    address: z.string().regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'must be host:port'),
    /** grpc.health.v1 service name; empty asks about the whole server. */
    service: z.string().default(''),
    tls: z.boolean().default(false),
    /** PEM file of an extra CA to trust (internal services with a private CA); needs `tls`. */
    caFile: z.string().min(1).optional(),
  })
  .strict()
  .refine((check) => check.tls || check.caFile === undefined, {
    message: 'requires tls: true (the CA verifies the server certificate)',
    path: ['caFile'],
  });

/**
 * Runs a command from the node's own config (`commands:`), by name: a check definition never carries a
 * command line. Exit 0 passing, 1 warning, anything else critical (as Consul).
 */
export const ScriptCheck = z.object({ ...CheckTiming, type: z.literal('script'), command: Slug }).strict();

/** Pushed by an external job through `checks.report`; critical when no report arrived within `ttlMs`. */
export const TtlCheck = z
  .object({ ...CheckTiming, type: z.literal('ttl'), ttlMs: z.number().int().min(1000).max(86_400_000) })
  .strict();

export const CheckDefinition = z
  .discriminatedUnion('type', [HttpCheck, TcpCheck, GrpcCheck, ScriptCheck, TtlCheck])
  .refine((check) => check.timeoutMs <= check.intervalMs, {
    message: 'timeoutMs must not exceed intervalMs',
    path: ['timeoutMs'],
  })
  .refine((check) => check.retryBaseMs <= check.retryMaxMs, {
    message: 'retryBaseMs must not exceed retryMaxMs',
    path: ['retryBaseMs'],
  });
export type CheckDefinition = z.infer<typeof CheckDefinition>;
export type CheckType = CheckDefinition['type'];

/** The agent starts the named command from its own config and keeps it running. */
export const Supervision = z
  .object({
    command: Slug,
    /** Restart when a check of the service turns critical, not only when the process exits. */
    restartOnCritical: z.boolean().default(true),
    backoffBaseMs: z.number().int().min(10).max(600_000).default(1_000),
    backoffMaxMs: z.number().int().min(10).max(3_600_000).default(60_000),
    /** Give up after this many restarts within `restartWindowMs`. */
    maxRestarts: z.number().int().min(0).max(1000).default(5),
    restartWindowMs: z.number().int().min(1000).max(86_400_000).default(600_000),
    /** Grace between SIGTERM and SIGKILL when stopping. */
    stopTimeoutMs: z.number().int().min(100).max(120_000).default(5_000),
  })
  .strict();
export type Supervision = z.infer<typeof Supervision>;

/** A series selector in PromQL syntax: `http_requests_total` or `http_requests_total{code=~"5.."}`. */
const MetricSelectorText = z
  .string()
  .max(1000)
  .superRefine((text, ctx) => {
    const parsed = parseMetricSelector(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
  });

/**
 * The service's own Prometheus endpoint, scraped every `intervalMs`: `requests` a counter of requests, `errors` a
 * counter of failed ones (the same metric with label matchers, or another), `latency` a histogram (its base name;
 * the `_bucket` series are read, in seconds unless the name ends in `_milliseconds`). A signal without its metric
 * comes from the service's checks.
 */
export const ServiceMetrics = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
    intervalMs: z.number().int().min(1_000).max(3_600_000).default(15_000),
    timeoutMs: z.number().int().min(50).max(60_000).default(5_000),
    requests: MetricSelectorText,
    errors: MetricSelectorText.optional(),
    latency: MetricSelectorText.optional(),
  })
  .strict()
  .refine((metrics) => metrics.timeoutMs <= metrics.intervalMs, {
    message: 'timeoutMs must not exceed intervalMs',
    path: ['timeoutMs'],
  });
export type ServiceMetrics = z.infer<typeof ServiceMetrics>;

export const ServiceDefinition = z
  .object({
    id: Slug,
    name: z.string().min(1).max(128),
    description: z.string().max(1000).default(''),
    tags: z.array(z.string().min(1).max(64)).max(32).default([]),
    checks: z.array(CheckDefinition).max(64).default([]),
    supervise: Supervision.optional(),
    metrics: ServiceMetrics.optional(),
  })
  .strict()
  .refine((service) => new Set(service.checks.map((c) => c.name)).size === service.checks.length, {
    message: 'check names must be unique within a service',
    path: ['checks'],
  });
export type ServiceDefinition = z.infer<typeof ServiceDefinition>;
export type ServiceDefinitionInput = z.input<typeof ServiceDefinition>;

/** A command the node's config allows to run, for script checks and supervised services. */
export const CommandDefinition = z
  .object({
    argv: z.array(z.string().min(1)).min(1),
    cwd: z.string().min(1).optional(),
    env: z.record(z.string().min(1), z.string()).default({}),
  })
  .strict();
export type CommandDefinition = z.infer<typeof CommandDefinition>;

/**
 * Where a service definition came from: the config file (read-only in the UI), the UI/API of this node, the
 * demo, or the fleet (stored once in the coordination backend and applied by every agent).
 */
export const ServiceSource = z.enum(['config', 'api', 'demo', 'fleet']);
export type ServiceSource = z.infer<typeof ServiceSource>;

export const CheckResult = z.object({
  status: ResultStatus,
  /** One line for the UI: "HTTP 200 in 12 ms", "exit 1: disk 91% full". */
  output: z.string().max(4096),
  latencyMs: z.number().nonnegative(),
  at: EpochMs,
});
export type CheckResult = z.infer<typeof CheckResult>;

export const UptimeFigures = z.object({
  /** Share of time passing, 0..1; null when there is no data for the period. */
  day: z.number().min(0).max(1).nullable(),
  week: z.number().min(0).max(1).nullable(),
  month: z.number().min(0).max(1).nullable(),
  /** The first result of the last 30 days, so a figure can say how much of its period it stands on (absent: older). */
  since: EpochMs.nullable().default(null),
});
export type UptimeFigures = z.infer<typeof UptimeFigures>;

/** The most results per check `services.list` returns for the heartbeat strips. */
export const MAX_RECENT_RESULTS = 60;

/** One run of a check as a heartbeat strip shows it: when, how it went, how long it took. */
export const Heartbeat = CheckResult.pick({ at: true, status: true, latencyMs: true });
export type Heartbeat = z.infer<typeof Heartbeat>;

export const CheckState = z.object({
  name: Slug,
  type: z.enum(['http', 'tcp', 'grpc', 'script', 'ttl']),
  status: CheckStatus,
  /** Since when the check has had this status. */
  since: EpochMs,
  lastResult: CheckResult.nullable(),
  uptime: UptimeFigures,
  /** The fleet check template this check comes from; null for the service's own checks. */
  template: Slug.nullable().default(null),
  /** Its last results, oldest first, when `services.list` was asked for them. */
  recent: z.array(Heartbeat).max(MAX_RECENT_RESULTS).optional(),
});
export type CheckState = z.infer<typeof CheckState>;

export const SupervisorState = z.object({
  state: z.enum(['starting', 'running', 'backoff', 'stopped', 'failed']),
  pid: z.number().int().nullable(),
  /** Every restart of this service, kept across agent restarts. */
  restarts: z.number().int().nonnegative(),
  lastExit: z.string().nullable(),
  logFile: z.string(),
});
export type SupervisorState = z.infer<typeof SupervisorState>;

export const ServiceState = z.object({
  definition: ServiceDefinition,
  source: ServiceSource,
  status: CheckStatus,
  checks: z.array(CheckState),
  supervisor: SupervisorState.nullable(),
});
export type ServiceState = z.infer<typeof ServiceState>;

export const HistoryPoint = z.object({
  /** Start of the bucket (raw results: the run time). */
  at: EpochMs,
  status: ResultStatus,
  latencyMs: z.number().nonnegative(),
  /** Raw results: 1; per-minute roll-ups: the runs in that minute (status is the worst of them). */
  count: z.number().int().positive(),
});
export type HistoryPoint = z.infer<typeof HistoryPoint>;

/** Where a service refers to a command the node does not define, as (path, message) pairs naming the field. */
export function undefinedCommands(
  service: ServiceDefinition,
  commands: Readonly<Record<string, unknown>>,
): Array<{ path: Array<string | number>; message: string }> {
  const missing = (name: string) => !Object.hasOwn(commands, name);
  const problems = service.checks.flatMap((check, index) =>
    check.type === 'script' && missing(check.command)
      ? [
          {
            path: ['checks', index, 'command'],
            message: `command "${check.command}" is not defined in this node's config`,
          },
        ]
      : [],
  );
  if (service.supervise && missing(service.supervise.command)) {
    problems.push({
      path: ['supervise', 'command'],
      message: `command "${service.supervise.command}" is not defined in this node's config`,
    });
  }
  return problems;
}
