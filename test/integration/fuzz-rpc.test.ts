import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { databaseFileName } from '../../electron/store/store.js';
import { methods, RpcErrorBody, type MethodName } from '../../shared/rpc.js';
import { startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.js';
import { clientFor } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';

/** Override with FUZZ_SEED to replay a failure; fast-check prints the seed and the counterexample. */
const seed = Number(process.env.FUZZ_SEED ?? 90_210);
const RUNS_PER_METHOD = 30;

/**
 * What callers configure or submit, table by table. Left out, because the agent writes them by itself while it
 * runs: check and resource samples and roll-ups, check states, log offsets and matches, supervisor events, agent
 * runs, alerts (the demo's rules fire), the audit log (it records refused calls too), task logs, and what the agent
 * keeps in the local backend's keys by itself: the leader's fleet facts, the alert records every node publishes and
 * the leader's progress telling them, and the fleet rules' alert counter.
 */
const snapshotQueries: Record<string, string> = {
  services: 'SELECT * FROM services ORDER BY id',
  settings: 'SELECT * FROM settings ORDER BY 1',
  fleet_config: 'SELECT * FROM fleet_config ORDER BY kind, id',
  local_kv: `SELECT key, value FROM local_kv
             WHERE key NOT LIKE '%/kv/fleet/facts' AND key NOT LIKE '%/kv/alerts/%' AND key NOT LIKE '%/kv/fleet-rules/%'
             ORDER BY key`,
  tasks: 'SELECT * FROM tasks ORDER BY 1',
  api_tokens: 'SELECT * FROM api_tokens ORDER BY 1',
};
const configTables = Object.keys(snapshotQueries);

const methodNames = Object.keys(methods) as MethodName[];

/** Random JSON, objects with the method's own field names (to get past the first check), and non-JSON bytes. */
function payloads(method: MethodName): fc.Arbitrary<{ body: string | Uint8Array; describe: string }> {
  const request = methods[method].request;
  const fields = request instanceof z.ZodObject ? Object.keys(request.shape) : [];
  const value = fc.jsonValue({ maxDepth: 3 });
  const shaped = fc.dictionary(
    fields.length > 0 ? fc.oneof(fc.constantFrom(...fields), fc.string()) : fc.string(),
    value,
    {
      maxKeys: 4,
    },
  );
  return fc.oneof(
    fc.oneof(value, shaped).map((json) => ({ body: JSON.stringify(json), describe: JSON.stringify(json) })),
    fc
      .uint8Array({ maxLength: 64 })
      .map((bytes) => ({ body: bytes, describe: `bytes ${Buffer.from(bytes).toString('hex')}` })),
  );
}

/**
 * Issue 9: generated payloads thrown at every RPC method over real HTTP of one agent process. Every answer is a 4xx
 * naming the problem (and changed nothing in SQLite) or a 2xx matching the method's response schema; never a 5xx;
 * the agent stays live.
 */
describe('every RPC method under generated payloads', () => {
  let agent: AgentProcess;
  let db: Database.Database;

  const snapshot = () =>
    Object.fromEntries(Object.entries(snapshotQueries).map(([table, query]) => [table, db.prepare(query).all()]));

  const post = (method: string, body: string | Uint8Array) =>
    fetch(`${agent.url}/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  /** Sends one payload and checks the answer; returns the status. */
  async function expectSafeAnswer(method: MethodName, body: string | Uint8Array, what: string): Promise<number> {
    const before = snapshot();
    const response = await post(method, body);
    const text = await response.text();
    const context = `${method} with ${what} answered ${response.status} ${text}`;
    expect(response.status, context).toBeLessThan(500);
    if (response.status >= 400) {
      const { error } = RpcErrorBody.parse(JSON.parse(text));
      expect(error.message.length, context).toBeGreaterThan(0);
      const after = snapshot();
      for (const table of configTables) expect(after[table], `${table}: ${context}`).toEqual(before[table]);
    } else {
      expect(methods[method].response.safeParse(JSON.parse(text)).success, context).toBe(true);
    }
    return response.status;
  }

  beforeAll(async () => {
    const dataDir = tempDir();
    agent = await startAgentProcess({ dataDir, config: { demo: true } });
    const client = clientFor(agent.url);
    await waitFor('the demo services', async () =>
      (await client.call('services.list', {})).some((service) => service.source === 'demo'),
    );
    // Something for removals to find: a service and a fleet value saved through the API.
    await client.call('services.upsert', {
      service: {
        id: 'fuzz-target',
        name: 'Fuzz target',
        checks: [{ name: 'port', type: 'tcp', host: '127.0.0.1', port: 9 }],
      },
    });
    await client.call('fleet.logPatterns.put', {
      value: { id: 'fuzz-pattern', name: 'Fuzz', regex: 'x', sources: ['fuzz-target'] },
    });
    db = new Database(join(dataDir, databaseFileName), { readonly: true, fileMustExist: true });
  }, 60_000);

  afterAll(async () => {
    db?.close();
    await agent?.stop('SIGKILL');
  });

  it('refuses a JSON null body on every method with 400 naming it, and changes nothing', async () => {
    const demoBefore = snapshot().services;
    for (const method of methodNames) {
      const before = snapshot();
      const response = await post(method, 'null');
      expect(response.status, method).toBe(400);
      expect(await response.json()).toEqual({
        error: {
          code: 'invalid_request',
          message: `invalid params for ${method}: params must be a JSON object, not null`,
        },
      });
      expect(snapshot(), method).toEqual(before);
    }
    // `curl --data null …/rpc/services.removeDemo` removed every demo service for good.
    expect(snapshot().services).toEqual(demoBefore);
  });

  it.each(methodNames)('answers %s with a 4xx naming the problem or a valid 2xx, and stays live', async (method) => {
    await fc.assert(
      fc.asyncProperty(payloads(method), async ({ body, describe: what }) => {
        await expectSafeAnswer(method, body, what);
      }),
      { seed, numRuns: RUNS_PER_METHOD },
    );
    expect((await fetch(`${agent.url}/health/live`)).status).toBe(200);
    expect(agent.child.exitCode).toBeNull();
  });
});
