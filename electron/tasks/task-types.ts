import type { z } from 'zod';
import { issuesFromZod } from '../../shared/rpc.js';
import type { JsonValue } from '../../shared/tasks.js';
import { CodedError } from '../core/coded-error.js';

/** What an executor gets besides its payload. */
export interface TaskContext {
  /** Aborted on the task's timeout, its cancel, or the worker stopping: stop the work and reject. */
  signal: AbortSignal;
  /** 0–100. */
  progress(percent: number): void;
  log(line: string): void;
}

/** One kind of task: its payload schema (checked at submit) and its executor. The plugin point of the queue. */
export interface TaskType<S extends z.ZodType = z.ZodType> {
  name: string;
  /** One line for the UI's type picker. */
  description?: string;
  payload: S;
  /** Resolves with the task's result (JSON), rejects with why the attempt failed. */
  run(payload: z.output<S>, ctx: TaskContext): Promise<JsonValue>;
}

/** Infers a type's payload from its schema. */
export const defineTaskType = <S extends z.ZodType>(type: TaskType<S>): TaskType<S> => type;

/** The task types this node knows, by name. */
export class TaskTypeRegistry {
  private readonly types = new Map<string, TaskType>();

  constructor(types: readonly TaskType[] = []) {
    for (const type of types) this.register(type);
  }

  register(type: TaskType): this {
    if (this.types.has(type.name)) throw new Error(`task type "${type.name}" is registered twice`);
    this.types.set(type.name, type);
    return this;
  }

  get(name: string): TaskType | undefined {
    return this.types.get(name);
  }

  names(): string[] {
    return [...this.types.keys()].sort();
  }

  /**
   * The payload as the type's schema parses it (defaults filled in), or a refusal naming the field: `type` for an
   * unknown type, `payload.<field>` for a payload its schema rejects.
   */
  parsePayload(typeName: string, payload: unknown, path: Array<string | number> = []): JsonValue {
    const type = this.types.get(typeName);
    if (!type) {
      const message = `unknown task type "${typeName}" (known: ${this.names().join(', ')})`;
      throw new CodedError('invalid_request', message, [{ path: [...path, 'type'].join('.'), message }]);
    }
    const parsed = type.payload.safeParse(payload);
    if (!parsed.success) {
      const issues = issuesFromZod(parsed.error, [...path, 'payload']);
      throw new CodedError('invalid_request', `invalid ${typeName} payload: ${issues[0]?.message ?? ''}`, issues);
    }
    return parsed.data as JsonValue;
  }
}
