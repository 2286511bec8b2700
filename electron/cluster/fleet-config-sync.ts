import { z } from 'zod';
import type { FleetConfigError } from '../../shared/node.js';
import { describeFailure } from '../core/coded-error.js';
import { errorMessage } from '../core/errors.js';
import { Listeners } from '../core/listeners.js';
import type { Logger } from '../core/logger.js';
import type { CoordinationBackend, KvEntry } from './coordination-backend.js';

export interface FleetConfigSyncOptions<T> {
  backend: CoordinationBackend;
  /** What kind of value this is (`services`, later `log-patterns`, `alert-rules`); also its key prefix. */
  kind: string;
  schema: z.ZodType<T>;
  /** Applies a value on this node; throws (with a reason) when this node cannot use it. */
  apply(id: string, value: T): void;
  /** Withdraws a value that was deleted fleet-wide. */
  withdraw(id: string): void;
  /** Ids this node currently has applied (kept locally), to withdraw those deleted while it was not watching. */
  applied(): string[];
  /** Keeps the last good value of each id on this node, so it stays in force while coordination is down. */
  cache: FleetConfigCache;
  now(): number;
  logger: Logger;
}

export interface FleetConfigCache {
  list(kind: string): Array<{ id: string; value: string }>;
  put(kind: string, id: string, value: string, now: number): void;
  delete(kind: string, id: string): void;
}

/**
 * Values saved once under the fleet prefix (`config/<kind>/<id>`) and applied live by every agent. A value
 * this node cannot use (malformed, or refused by `apply`) leaves the last good one in force and is reported
 * as an error, which the node publishes in its summary for consoles to show.
 */
export class FleetConfigSync<T> {
  private readonly problems = new Map<string, string>();
  private readonly changes: Listeners<FleetConfigError[]>;
  private readonly receivedChanges: Listeners<string>;
  private readonly prefix: string;

  constructor(private readonly options: FleetConfigSyncOptions<T>) {
    this.prefix = `config/${options.kind}/`;
    const onError = (error: unknown) => options.logger.error({ err: error }, 'a fleet config listener failed');
    this.changes = new Listeners(onError);
    this.receivedChanges = new Listeners(onError);
  }

  get kind(): string {
    return this.options.kind;
  }

  /**
   * Watches first and lists second, so nothing written in between is missed (applying twice is harmless);
   * lists again whenever the backend reconnects, since deletions made meanwhile may not have been seen.
   */
  start(): () => void {
    const { backend, cache, kind } = this.options;
    // The last good values first: they run even if the backend cannot be reached now.
    for (const { id, value } of cache.list(kind)) this.receive({ key: this.prefix + id, value }, false);
    const unwatch = backend.watch(
      this.prefix,
      (event) => {
        if (event.type === 'put') this.receive(event.entry);
        else this.remove(event.key.slice(this.prefix.length));
      },
      () => void this.resync(),
    );
    let lastState = backend.status().state;
    const unstatus = backend.onStatus((status) => {
      if (status.state === 'connected' && lastState !== 'connected') void this.resync();
      lastState = status.state;
    });
    void this.resync();
    return () => {
      unwatch();
      unstatus();
    };
  }

  private async resync(): Promise<void> {
    try {
      const entries = await this.options.backend.list(this.prefix);
      entries.forEach((entry) => this.receive(entry));
      const present = new Set(entries.map((entry) => entry.key.slice(this.prefix.length)));
      for (const id of this.options.applied()) if (!present.has(id)) this.remove(id);
    } catch (error) {
      this.options.logger.warn({ err: errorMessage(error), kind: this.options.kind }, 'listing fleet config failed');
    }
  }

  /** Saves a value for the whole fleet (validated first, so nothing malformed is ever written by us). */
  async put(id: string, value: T): Promise<string> {
    return this.options.backend.put(this.prefix + id, JSON.stringify(this.options.schema.parse(value)));
  }

  async delete(id: string): Promise<void> {
    await this.options.backend.delete(this.prefix + id);
  }

  async list(): Promise<Array<{ id: string; value: T | null; problem: string | null }>> {
    const entries = await this.options.backend.list(this.prefix);
    return entries.map((entry) => {
      const parsed = this.parse(entry);
      return parsed.ok
        ? { id: parsed.id, value: parsed.value, problem: null }
        : { id: parsed.id, value: null, problem: parsed.problem };
    });
  }

  /** Values this node could not apply, with the reason. */
  errors(): FleetConfigError[] {
    return [...this.problems].map(([id, error]) => ({ kind: this.options.kind, id, error }));
  }

  onErrors(listener: (errors: FleetConfigError[]) => void): () => void {
    return this.changes.add(listener);
  }

  /** Called with the id of every value this node received (applied, or refused) or withdrew. */
  onChanged(listener: (id: string) => void): () => void {
    return this.receivedChanges.add(listener);
  }

  private parse(
    entry: Pick<KvEntry, 'key' | 'value'>,
  ): { ok: true; id: string; value: T } | { ok: false; id: string; problem: string } {
    const id = entry.key.slice(this.prefix.length);
    let json: unknown;
    try {
      json = JSON.parse(entry.value);
    } catch {
      return { ok: false, id, problem: 'not JSON' };
    }
    const parsed = this.options.schema.safeParse(json);
    return parsed.success
      ? { ok: true, id, value: parsed.data }
      : { ok: false, id, problem: z.prettifyError(parsed.error) };
  }

  /** Applies a stored value; a good one becomes the cached last good value unless it came from the cache. */
  private receive(entry: Pick<KvEntry, 'key' | 'value'>, fromBackend = true): void {
    const parsed = this.parse(entry);
    let problem = parsed.ok ? null : `invalid: ${parsed.problem}`;
    if (parsed.ok) {
      try {
        this.options.apply(parsed.id, parsed.value);
        if (fromBackend) this.options.cache.put(this.options.kind, parsed.id, entry.value, this.options.now());
      } catch (error) {
        problem = describeFailure(error);
      }
    }
    this.receivedChanges.emit(parsed.id);
    if (problem) {
      this.options.logger.warn(
        { kind: this.options.kind, id: parsed.id, problem },
        'keeping the last good fleet config',
      );
    }
    this.setProblem(parsed.id, problem);
  }

  private remove(id: string): void {
    this.options.withdraw(id);
    this.options.cache.delete(this.options.kind, id);
    this.setProblem(id, null);
    this.receivedChanges.emit(id);
  }

  private setProblem(id: string, problem: string | null): void {
    const before = this.problems.get(id) ?? null;
    if (problem) this.problems.set(id, problem);
    else this.problems.delete(id);
    if (before !== problem) this.changes.emit(this.errors());
  }
}
