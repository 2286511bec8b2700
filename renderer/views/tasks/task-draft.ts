import type { RpcIssue } from '../../../shared/rpc.js';
import { TaskSubmitRequest } from '../../../shared/rpc/tasks.js';
import { Backoff, TaskSubmit, type PlacementStrategy } from '../../../shared/tasks.js';
import { parseDurationMs } from '../../format/duration.js';
import {
  checkDraft,
  defaultOf,
  friendly,
  numberOf,
  placeIssues,
  withoutUndefined,
  type DraftProblems,
  type FieldErrors,
} from '../../forms/draft-problems.js';

/**
 * The submit form works on a draft: every input's text as typed. It becomes a request only through the shared
 * `TaskSubmitRequest` schema, so the form checks what the agent checks; the payload's own schema is the task
 * type's, which only the agent knows, and its refusal lands at the payload field.
 */
export type TargetKind = 'local' | 'any' | 'node' | 'label';

/** Targets the leader places, by a placement strategy. */
export const isPlaced = (kind: TargetKind) => kind === 'any' || kind === 'label';

export interface TaskDraft {
  type: string;
  /** JSON text; for `exec` the command and arguments below make the payload instead. */
  payload: string;
  command: string;
  /** One argument per line. */
  args: string;
  priority: string;
  maxAttempts: string;
  /** Durations as typed: plain milliseconds or with units ("30s", "5m"). */
  timeoutMs: string;
  backoffBaseMs: string;
  backoffCapMs: string;
  /** A `datetime-local` value in the user's zone; empty: at once. */
  notBefore: string;
  idempotencyKey: string;
  group: string;
  targetKind: TargetKind;
  targetNode: string;
  /** `key=value`. */
  targetLabel: string;
  /** How the leader places a task for `any` or a label; empty: the fleet's default. */
  strategy: PlacementStrategy | '';
}

/** The contract's defaults, shown in the form so nobody has to guess them. */
export const taskDefaults = {
  priority: defaultOf(TaskSubmit.shape.priority),
  maxAttempts: defaultOf(TaskSubmit.shape.maxAttempts),
  timeoutMs: defaultOf(TaskSubmit.shape.timeoutMs),
  backoffBaseMs: defaultOf(Backoff.shape.baseMs),
  backoffCapMs: defaultOf(Backoff.shape.capMs),
  group: defaultOf(TaskSubmit.shape.group),
};

/** A payload to start from for the built-in types; any other type starts from `{}`. */
const payloadTemplates: Record<string, string> = {
  sleep: '{ "ms": 5000 }',
  http: '{ "url": "http://127.0.0.1:8080/", "method": "GET" }',
  check: '{ "serviceId": "", "check": "" }',
};

export const payloadTemplateOf = (type: string) => payloadTemplates[type] ?? '{}';

export const emptyTaskDraft = (type = ''): TaskDraft => ({
  type,
  payload: payloadTemplateOf(type),
  command: '',
  args: '',
  priority: '',
  maxAttempts: '',
  timeoutMs: '',
  backoffBaseMs: '',
  backoffCapMs: '',
  notBefore: '',
  idempotencyKey: '',
  group: '',
  targetKind: 'local',
  targetNode: '',
  targetLabel: '',
  strategy: '',
});

/** Another type: its payload template replaces the payload unless the user has written one of their own. */
export function withType(draft: TaskDraft, type: string): TaskDraft {
  const untouched = draft.payload.trim() === '' || draft.payload === payloadTemplateOf(draft.type);
  return { ...draft, type, payload: untouched ? payloadTemplateOf(type) : draft.payload };
}

function targetOf(draft: TaskDraft): string {
  switch (draft.targetKind) {
    case 'local':
    case 'any':
      return draft.targetKind;
    case 'node':
      return `node:${draft.targetNode}`;
    case 'label':
      return `label:${draft.targetLabel.trim()}`;
  }
}

export const durationHint = '250ms, 30s, 5m, 1h or plain milliseconds';

/** A duration in milliseconds (undefined: empty, the default); text that is not one is a local error naming it. */
function durationOf(text: string, field: string, label: string, local: FieldErrors): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const ms = parseDurationMs(trimmed);
  if (ms === null) local[field] = `${label}: “${trimmed}” is not a duration; write ${durationHint}`;
  return ms ?? undefined;
}

const argsOf = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

/** The payload as JSON, or why the text is not JSON. */
function payloadOf(draft: TaskDraft): { ok: true; value: unknown } | { ok: false; error: string } {
  if (draft.type === 'exec') return { ok: true, value: { command: draft.command, args: argsOf(draft.args) } };
  if (draft.payload.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(draft.payload) };
  } catch (error) {
    return { ok: false, error: `Must be valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

const fields = new Set([
  'type',
  'payload',
  'payload.command',
  'payload.args',
  'priority',
  'maxAttempts',
  'timeoutMs',
  'backoff.baseMs',
  'backoff.capMs',
  'notBefore',
  'idempotencyKey',
  'group',
  'target',
  'strategy',
]);

/**
 * Puts each issue next to the field it names; a payload issue (found by the agent, with the type's schema) says
 * which part of the payload: "ms: Too small…".
 */
export const taskProblemsOf = (issues: readonly RpcIssue[]): DraftProblems =>
  placeIssues(issues, {
    fields,
    // `tasks.submit` takes the task itself, not wrapped.
    wrapper: '',
    subject: 'task',
    explain: ({ path, message }, field) => {
      const rest = path.slice(field.length + 1);
      return rest ? `${rest}: ${friendly(message)}` : friendly(message);
    },
  });

export type TaskDraftResult = { ok: true; request: TaskSubmitRequest } | ({ ok: false } & DraftProblems);

/** Validates a draft with the shared schema; the request is exactly what `tasks.submit` accepts. */
export function taskRequestOf(draft: TaskDraft): TaskDraftResult {
  const local: FieldErrors = {};
  if (draft.type === '') local.type = 'Required';
  if (draft.type === 'exec' && draft.command === '') local['payload.command'] = 'Required';
  if (draft.targetKind === 'node' && draft.targetNode === '') local.target = 'Required';
  const payload = payloadOf(draft);
  if (!payload.ok) local.payload = payload.error;
  const notBefore = draft.notBefore === '' ? undefined : new Date(draft.notBefore).getTime();
  if (Number.isNaN(notBefore)) local.notBefore = 'Not a date and time';

  const input = withoutUndefined({
    type: draft.type,
    payload: payload.ok ? payload.value : {},
    priority: numberOf(draft.priority),
    maxAttempts: numberOf(draft.maxAttempts),
    timeoutMs: durationOf(draft.timeoutMs, 'timeoutMs', 'Timeout', local),
    backoff: withoutUndefined({
      baseMs: durationOf(draft.backoffBaseMs, 'backoff.baseMs', 'Backoff base', local),
      capMs: durationOf(draft.backoffCapMs, 'backoff.capMs', 'Backoff cap', local),
    }),
    notBefore,
    idempotencyKey: draft.idempotencyKey.trim() || undefined,
    group: draft.group.trim() || undefined,
    target: targetOf(draft),
    strategy: isPlaced(draft.targetKind) && draft.strategy !== '' ? draft.strategy : undefined,
  });
  const checked = checkDraft(TaskSubmitRequest, input, local, taskProblemsOf);
  return checked.ok ? { ok: true, request: checked.value } : checked;
}
