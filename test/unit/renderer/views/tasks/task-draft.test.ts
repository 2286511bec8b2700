import { describe, expect, it } from 'vitest';
import {
  emptyTaskDraft,
  payloadTemplateOf,
  taskDefaults,
  taskProblemsOf,
  taskRequestOf,
  withType,
  type TaskDraft,
} from '../../../../../renderer/views/tasks/task-draft.js';

const draft = (change: Partial<TaskDraft>): TaskDraft => ({ ...emptyTaskDraft('sleep'), ...change });

describe('task submit drafts', () => {
  it('turns an empty draft of a type into a request with the contract defaults', () => {
    expect(taskRequestOf(draft({ payload: '{"ms": 250}' }))).toEqual({
      ok: true,
      request: {
        type: 'sleep',
        payload: { ms: 250 },
        priority: taskDefaults.priority,
        maxAttempts: taskDefaults.maxAttempts,
        timeoutMs: taskDefaults.timeoutMs,
        backoff: { baseMs: taskDefaults.backoffBaseMs, capMs: taskDefaults.backoffCapMs },
        group: taskDefaults.group,
        target: 'local',
      },
    });
  });

  it('sends every field as typed: numbers, backoff, not-before in local time, key, group and target', () => {
    const result = taskRequestOf(
      draft({
        payload: '{"ms": 1}',
        priority: '5',
        maxAttempts: '1',
        timeoutMs: '2500',
        backoffBaseMs: '100',
        backoffCapMs: '400',
        notBefore: '2031-05-06T07:08',
        idempotencyKey: ' nightly-7 ',
        group: 'backups',
        targetKind: 'label',
        targetLabel: 'zone=eu-1',
        strategy: 'least-loaded',
      }),
    );
    expect(result).toEqual({
      ok: true,
      request: expect.objectContaining({
        priority: 5,
        maxAttempts: 1,
        timeoutMs: 2500,
        backoff: { baseMs: 100, capMs: 400 },
        notBefore: new Date(2031, 4, 6, 7, 8).getTime(),
        idempotencyKey: 'nightly-7',
        group: 'backups',
        target: 'label:zone=eu-1',
        strategy: 'least-loaded',
      }),
    });
  });

  it('builds an exec payload from the picked command and one argument per line', () => {
    const result = taskRequestOf(
      draft({
        type: 'exec',
        payload: 'not used',
        command: 'backup',
        args: '--full\n\n/var/lib/db\n',
        targetKind: 'node',
        targetNode: 'node-1a2b3c4d',
      }),
    );
    expect(result.ok && result.request.payload).toEqual({ command: 'backup', args: ['--full', '/var/lib/db'] });
    expect(result.ok && result.request.target).toBe('node:node-1a2b3c4d');
    // A placement strategy is for the leader's choice only: a given node needs none.
    const placed = taskRequestOf(draft({ payload: '{}', targetKind: 'node', targetNode: 'n1', strategy: 'random' }));
    expect(placed.ok && placed.request.target).toBe('node:n1');
    expect(placed.ok && 'strategy' in placed.request).toBe(false);
  });

  it('names each field it refuses: payload that is not JSON, a missing command or node, numbers out of range', () => {
    expect(taskRequestOf(draft({ payload: '{ms: 1}' }))).toMatchObject({
      ok: false,
      fields: { payload: expect.stringMatching(/^Must be valid JSON: /) },
    });
    expect(taskRequestOf(draft({ type: 'exec', targetKind: 'node' }))).toMatchObject({
      ok: false,
      fields: { 'payload.command': 'Required', target: 'Required' },
    });
    const result = taskRequestOf(
      draft({ maxAttempts: '0', priority: '1.5', backoffBaseMs: '500', backoffCapMs: '100', group: 'x'.repeat(65) }),
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && Object.keys(result.fields).sort()).toEqual([
      'backoff.capMs',
      'group',
      'maxAttempts',
      'priority',
    ]);
    expect(!result.ok && result.fields['backoff.capMs']).toBe('capMs must be >= baseMs');
  });

  it('takes durations with units as well as plain milliseconds', () => {
    const result = taskRequestOf(
      draft({ payload: '{}', timeoutMs: '2s', backoffBaseMs: '250ms', backoffCapMs: '1m 30s' }),
    );
    expect(result.ok && [result.request.timeoutMs, result.request.backoff]).toEqual([
      2000,
      { baseMs: 250, capMs: 90_000 },
    ]);
  });

  it('refuses a duration it cannot read, naming the field and what it takes', () => {
    const result = taskRequestOf(draft({ payload: '{}', timeoutMs: '5 minutes', backoffCapMs: 'soon' }));
    expect(result).toEqual({
      ok: false,
      fields: {
        timeoutMs: 'Timeout: “5 minutes” is not a duration; write 250ms, 30s, 5m, 1h or plain milliseconds',
        'backoff.capMs': 'Backoff cap: “soon” is not a duration; write 250ms, 30s, 5m, 1h or plain milliseconds',
      },
      other: [],
    });
  });

  it('refuses a malformed label target and a missing type', () => {
    const result = taskRequestOf(draft({ type: '', targetKind: 'label', targetLabel: 'zone' }));
    expect(result).toMatchObject({
      ok: false,
      fields: { type: 'Required', target: 'a label target is label:<key>=<value>' },
    });
  });

  it('puts the agent’s payload issues at the payload field, saying which part', () => {
    expect(
      taskProblemsOf([
        { path: 'payload.ms', message: 'Too small: expected number to be >=0' },
        { path: 'payload.args.1', message: 'argument not allowed for command "backup"' },
        { path: '', message: 'Unrecognized key: "tags"' },
      ]),
    ).toEqual({
      fields: {
        payload: 'ms: Too small: expected number to be >=0',
        'payload.args': '1: argument not allowed for command "backup"',
      },
      other: ['(task): Unrecognized key: "tags"'],
    });
  });

  it('replaces the payload with the new type’s template unless the user wrote their own', () => {
    const fresh = emptyTaskDraft('sleep');
    expect(withType(fresh, 'http').payload).toBe(payloadTemplateOf('http'));
    expect(withType({ ...fresh, payload: '{"ms": 42}' }, 'http').payload).toBe('{"ms": 42}');
    expect(withType({ ...fresh, payload: '' }, 'backup.snapshot').payload).toBe('{}');
  });
});
