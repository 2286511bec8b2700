import { z } from 'zod';
import { EpochMs } from '../ids.js';
import { CheckTemplate } from '../check-templates.js';
import {
  CheckResult,
  HistoryPoint,
  MAX_RECENT_RESULTS,
  ResultStatus,
  ServiceDefinition,
  ServiceState,
  Slug,
} from '../services.js';
import { ServiceSignalName, ServiceSignalOrigin, SignalPoint } from '../service-signals.js';
import { fleetConfigMethods } from './fleet-config.js';
import { method, NoParams } from './method.js';

const CheckRef = { serviceId: Slug, check: Slug };
const MINUTE_MS = 60_000;
/** The spans the charts offer: 15 minutes, 1 hour, 6 hours, 24 hours, 7 days. */
const SignalRangesMs = [
  15 * MINUTE_MS,
  60 * MINUTE_MS,
  360 * MINUTE_MS,
  1_440 * MINUTE_MS,
  10_080 * MINUTE_MS,
] as const;
const fleetCheckTemplates = fleetConfigMethods(CheckTemplate, 'Check templates');

/** Services, their checks and supervised processes: this node's and the fleet's. */
export const servicesMethods = {
  'services.list': method(
    z
      .object({
        /** How many of each check's last results to include (for heartbeat strips); none by default. */
        recentResults: z.number().int().min(0).max(MAX_RECENT_RESULTS).default(0),
      })
      .strict(),
    z.array(ServiceState),
    "Every service with its checks, status, last result, uptime and, when asked, each check's last results.",
  ),
  'services.upsert': method(
    z.object({ service: ServiceDefinition }).strict(),
    ServiceState,
    'Adds or replaces a service; applied at once. Services from the config file cannot be changed here.',
  ),
  'services.remove': method(z.object({ id: Slug }).strict(), z.object({ removed: z.boolean() }), 'Removes a service.'),
  'services.removeDemo': method(
    NoParams,
    z.object({ removed: z.number().int() }),
    "Removes every demo service (how many: removed), and the demo's alert rules and log patterns from the fleet.",
  ),
  'services.export': method(NoParams, z.object({ yaml: z.string() }), 'Services added through the UI or API, as YAML.'),
  'services.import': method(
    z.object({ yaml: z.string().max(1_000_000) }).strict(),
    z.object({ imported: z.array(Slug) }),
    'Adds or replaces every service in a YAML list; all or nothing.',
  ),
  'fleet.services.list': method(
    NoParams,
    z.array(z.object({ id: Slug, service: ServiceDefinition.nullable(), problem: z.string().nullable() })),
    'Services defined for the whole fleet (stored once under the fleet prefix); malformed ones with the problem.',
  ),
  'fleet.services.put': method(
    z.object({ service: ServiceDefinition }).strict(),
    z.object({ revision: z.string() }),
    'Saves a service for every agent of the fleet; each applies it live or reports why it cannot.',
  ),
  'fleet.services.remove': method(
    z.object({ id: Slug }).strict(),
    z.object({ removed: z.literal(true) }),
    'Removes a fleet service everywhere.',
  ),
  'fleet.checkTemplates.list': fleetCheckTemplates.list,
  'fleet.checkTemplates.put': fleetCheckTemplates.put,
  'fleet.checkTemplates.remove': fleetCheckTemplates.remove,
  'checks.history': method(
    z.object({ ...CheckRef, fromMs: EpochMs, toMs: EpochMs }).strict(),
    z.object({
      resolution: z.enum(['raw', 'minute']),
      /** Roll-up resolution: how many ms each point covers (a minute or more, so long ranges stay small). */
      bucketMs: z.number().int().nonnegative(),
      points: z.array(HistoryPoint),
    }),
    'Results of one check over a time range (raw within the last day, per-minute roll-ups otherwise).',
  ),
  'services.signals': method(
    z
      .object({
        serviceId: Slug,
        /** One signal; all three by default. */
        signal: ServiceSignalName.optional(),
        /** The last 15 m, 1 h, 6 h, 24 h or 7 d, in ms. */
        rangeMs: z.number().refine((ms) => SignalRangesMs.some((range) => range === ms), {
          message: `must be one of ${SignalRangesMs.join(', ')} (15 m, 1 h, 6 h, 24 h, 7 d)`,
        }),
      })
      .strict(),
    z.object({
      signals: z.array(
        z.object({ signal: ServiceSignalName, origin: ServiceSignalOrigin, points: z.array(SignalPoint) }),
      ),
      /** The service's own endpoint and how its last scrapes went; null without `metrics:`. */
      scrape: z
        .object({
          url: z.string(),
          lastSuccessAt: EpochMs.nullable(),
          /** "metrics: line 12: expected a value after the metric name"; kept until a scrape succeeds. */
          lastError: z.object({ at: EpochMs, message: z.string() }).nullable(),
        })
        .nullable(),
    }),
    "A service's throughput (requests/min), error rate (%) and p95 latency (ms), one point per whole minute.",
  ),
  'checks.runNow': method(z.object(CheckRef).strict(), CheckResult, 'Runs a check at once and returns its result.'),
  'checks.report': method(
    z
      .object({ ...CheckRef, status: ResultStatus.exclude(['unknown']), output: z.string().max(4096).default('') })
      .strict(),
    z.object({ accepted: z.literal(true) }),
    'Reports the result of a TTL (push) check.',
  ),
} as const;
