import type { RpcIssue } from '../../../shared/rpc.js';
import {
  GrpcCheck,
  HttpCheck,
  ServiceDefinition,
  type CheckDefinition,
  type CheckType,
  type ServiceMetrics,
  type Supervision,
} from '../../../shared/services.js';
import {
  checkDraft,
  defaultOf,
  friendly,
  numberOf,
  placeIssues,
  withoutUndefined,
  type DraftProblems,
} from '../../forms/draft-problems.js';

/**
 * The add/edit form works on drafts: every input's text as typed. A draft becomes a definition only through
 * the shared `ServiceDefinition` schema, so the form checks exactly what the agent will check.
 */
export interface CheckDraft {
  /** Stable React key; check names change while typing. */
  key: number;
  type: CheckType;
  name: string;
  intervalMs: string;
  timeoutMs: string;
  retries: string;
  failuresBeforeCritical: string;
  successesBeforePassing: string;
  url: string;
  method: string;
  /** Comma-separated codes and classes: "200, 3xx". */
  expectStatus: string;
  bodyRegex: string;
  /** One "Name: value" per line. */
  headers: string;
  body: string;
  host: string;
  port: string;
  address: string;
  grpcService: string;
  tls: boolean;
  /** Sent only with TLS on (the schema refuses it otherwise); kept while TLS is off so turning it on restores it. */
  grpcCaFile: string;
  command: string;
  ttlMs: string;
  /** Settings the form does not show, carried over from the edited definition so saving keeps them. */
  keptTiming: { retryBaseMs?: number; retryMaxMs?: number };
  keptHttp: { tlsExpiryWarningDays?: number; caFile?: string };
}

export interface ServiceDraft {
  id: string;
  name: string;
  description: string;
  /** Comma-separated. */
  tags: string;
  checks: CheckDraft[];
  /** Not editable here (the command must be in the node's config anyway), but kept on save. */
  supervise: Supervision | undefined;
  /** The service's own metrics endpoint: not editable here either, but kept on save. */
  metrics?: ServiceMetrics;
}

export type TimingField = 'intervalMs' | 'timeoutMs' | 'retries' | 'failuresBeforeCritical' | 'successesBeforePassing';

/** The contract's defaults, shown in the form so nobody has to guess them. */
export const timingDefaults: Record<TimingField, number> = {
  intervalMs: defaultOf(HttpCheck.shape.intervalMs),
  timeoutMs: defaultOf(HttpCheck.shape.timeoutMs),
  retries: defaultOf(HttpCheck.shape.retries),
  failuresBeforeCritical: defaultOf(HttpCheck.shape.failuresBeforeCritical),
  successesBeforePassing: defaultOf(HttpCheck.shape.successesBeforePassing),
};
export const httpMethods = HttpCheck.shape.method.unwrap().options;
export const defaultMethod = defaultOf(HttpCheck.shape.method);
export const defaultExpectStatus = defaultOf(HttpCheck.shape.expectStatus).join(', ');
export const defaultGrpcTls = defaultOf(GrpcCheck.shape.tls);

export const checkTypeLabels: Record<CheckType, string> = {
  http: 'HTTP',
  tcp: 'TCP',
  grpc: 'gRPC health',
  script: 'Script',
  ttl: 'TTL (pushed)',
};

let nextKey = 1;

export function newCheckDraft(type: CheckType = 'http'): CheckDraft {
  return {
    key: nextKey++,
    type,
    name: '',
    intervalMs: String(timingDefaults.intervalMs),
    timeoutMs: String(timingDefaults.timeoutMs),
    retries: String(timingDefaults.retries),
    failuresBeforeCritical: String(timingDefaults.failuresBeforeCritical),
    successesBeforePassing: String(timingDefaults.successesBeforePassing),
    url: '',
    method: defaultMethod,
    expectStatus: defaultExpectStatus,
    bodyRegex: '',
    headers: '',
    body: '',
    host: '',
    port: '',
    address: '',
    grpcService: '',
    tls: defaultGrpcTls,
    grpcCaFile: '',
    command: '',
    ttlMs: '',
    keptTiming: {},
    keptHttp: {},
  };
}

export const emptyServiceDraft = (): ServiceDraft => ({
  id: '',
  name: '',
  description: '',
  tags: '',
  checks: [newCheckDraft()],
  supervise: undefined,
});

function checkDraftOf(check: CheckDefinition): CheckDraft {
  const draft: CheckDraft = {
    ...newCheckDraft(check.type),
    name: check.name,
    intervalMs: String(check.intervalMs),
    timeoutMs: String(check.timeoutMs),
    retries: String(check.retries),
    failuresBeforeCritical: String(check.failuresBeforeCritical),
    successesBeforePassing: String(check.successesBeforePassing),
    keptTiming: { retryBaseMs: check.retryBaseMs, retryMaxMs: check.retryMaxMs },
  };
  switch (check.type) {
    case 'http':
      return {
        ...draft,
        url: check.url,
        method: check.method,
        expectStatus: check.expectStatus.join(', '),
        bodyRegex: check.bodyRegex ?? '',
        headers: Object.entries(check.headers)
          .map(([name, value]) => `${name}: ${value}`)
          .join('\n'),
        body: check.body ?? '',
        keptHttp: { tlsExpiryWarningDays: check.tlsExpiryWarningDays, caFile: check.caFile },
      };
    case 'tcp':
      return { ...draft, host: check.host, port: String(check.port) };
    case 'grpc':
      return {
        ...draft,
        address: check.address,
        grpcService: check.service,
        tls: check.tls,
        grpcCaFile: check.caFile ?? '',
      };
    case 'script':
      return { ...draft, command: check.command };
    case 'ttl':
      return { ...draft, ttlMs: String(check.ttlMs) };
  }
}

export const serviceDraftOf = (service: ServiceDefinition): ServiceDraft => ({
  id: service.id,
  name: service.name,
  description: service.description,
  tags: service.tags.join(', '),
  checks: service.checks.map(checkDraftOf),
  supervise: service.supervise,
  metrics: service.metrics,
});

const textOf = (text: string): string | undefined => (text.trim() === '' ? undefined : text);

function statusListOf(text: string): (number | string)[] | undefined {
  const tokens = text.split(/[\s,]+/).filter(Boolean);
  if (tokens.length === 0) return undefined;
  return tokens.map((token) => (/^\d+$/.test(token) ? Number(token) : token.toLowerCase()));
}

/** "Name: value" lines; a line without a colon is reported against the headers field. */
function headersOf(text: string): { headers: Record<string, string>; problem: string | null } {
  const headers: Record<string, string> = {};
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { headers, problem: `line ${index + 1} must be "Name: value"` };
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { headers, problem: null };
}

function checkInputOf(draft: CheckDraft, index: number, problems: Record<string, string>): Record<string, unknown> {
  const common = {
    name: draft.name.trim(),
    type: draft.type,
    intervalMs: numberOf(draft.intervalMs),
    timeoutMs: numberOf(draft.timeoutMs),
    retries: numberOf(draft.retries),
    failuresBeforeCritical: numberOf(draft.failuresBeforeCritical),
    successesBeforePassing: numberOf(draft.successesBeforePassing),
    ...draft.keptTiming,
  };
  switch (draft.type) {
    case 'http': {
      const { headers, problem } = headersOf(draft.headers);
      if (problem) problems[`checks.${index}.headers`] = problem;
      return withoutUndefined({
        ...common,
        url: draft.url.trim(),
        method: draft.method,
        expectStatus: statusListOf(draft.expectStatus),
        bodyRegex: textOf(draft.bodyRegex),
        headers,
        body: textOf(draft.body),
        ...draft.keptHttp,
      });
    }
    case 'tcp':
      return withoutUndefined({ ...common, host: draft.host.trim(), port: numberOf(draft.port) });
    case 'grpc':
      return withoutUndefined({
        ...common,
        address: draft.address.trim(),
        service: draft.grpcService,
        tls: draft.tls,
        caFile: draft.tls ? textOf(draft.grpcCaFile.trim()) : undefined,
      });
    case 'script':
      return withoutUndefined({ ...common, command: draft.command.trim() });
    case 'ttl':
      return withoutUndefined({ ...common, ttlMs: numberOf(draft.ttlMs) });
  }
}

const checkFields = [
  'name',
  'type',
  'intervalMs',
  'timeoutMs',
  'retries',
  'retryBaseMs',
  'failuresBeforeCritical',
  'successesBeforePassing',
  'url',
  'method',
  'expectStatus',
  'bodyRegex',
  'headers',
  'body',
  'host',
  'port',
  'address',
  'service',
  'tls',
  'caFile',
  'command',
  'ttlMs',
];

/**
 * Puts each issue next to the field it names: the longest leading part of its path that is a field of the
 * form ("checks.0.expectStatus.1" → "checks.0.expectStatus"). `service.` is the agent's request wrapper.
 */
export function problemsOf(issues: readonly RpcIssue[], draft: ServiceDraft): DraftProblems {
  const fields = new Set(['id', 'name', 'description', 'tags', 'checks', 'supervise', 'metrics']);
  draft.checks.forEach((_, index) => checkFields.forEach((field) => fields.add(`checks.${index}.${field}`)));
  return placeIssues(issues, {
    fields,
    wrapper: 'service',
    subject: 'service',
    explain: ({ message }) =>
      message === 'timeoutMs must not exceed intervalMs' ? 'Must not be longer than the interval' : friendly(message),
  });
}

export type DraftResult = { ok: true; service: ServiceDefinition } | ({ ok: false } & DraftProblems);

/** Validates a draft with the shared schema; the result is exactly what `services.upsert` accepts. */
export function definitionOf(draft: ServiceDraft): DraftResult {
  const local: Record<string, string> = {};
  // An empty slug fails its pattern; "required" says more.
  if (draft.id.trim() === '') local.id = 'Required';
  draft.checks.forEach((check, index) => {
    if (check.name.trim() === '') local[`checks.${index}.name`] = 'Required';
  });
  const input = withoutUndefined({
    id: draft.id.trim(),
    name: draft.name.trim(),
    description: draft.description,
    tags: draft.tags
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean),
    checks: draft.checks.map((check, index) => checkInputOf(check, index, local)),
    supervise: draft.supervise,
    metrics: draft.metrics,
  });
  const checked = checkDraft(ServiceDefinition, input, local, (issues) => problemsOf(issues, draft));
  return checked.ok ? { ok: true, service: checked.value } : checked;
}
