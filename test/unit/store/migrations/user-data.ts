import type Database from 'better-sqlite3';
import { tableRows, tablesOf, type Row } from './migrate-to.js';

const GB = 1024 ** 3;
const minute = 60_000;
const day = 86_400_000;
/** The node's history starts some weeks before the upgrade. */
const t0 = Date.UTC(2025, 10, 3, 9, 0);

const nodeId = 'node-3f9c2a7e';
const homeCheckMemory = {
  version: 1,
  status: 'critical',
  since: t0 + 11_000,
  settled: 'critical',
  consecutivePasses: 0,
  consecutiveFailures: 1,
  flapping: false,
  recent: ['passing', 'critical'],
  lastResult: { status: 'critical', output: 'timed out after 5000 ms', latencyMs: 5000, at: t0 + 11_000 },
};

/**
 * What a node that has run for a while keeps, by table in the order the tables were created. Each row has the
 * columns its table had when created; columns added later take their defaults.
 */
const userRows: Readonly<Record<string, readonly Row[]>> = {
  settings: [
    { key: 'node.id', value: nodeId, updated_at: t0 },
    { key: 'demo.removed', value: 'true', updated_at: t0 + 2 * day },
  ],
  agent_runs: [
    { id: 1, node_id: nodeId, version: '0.1.0', started_at: t0, stopped_at: t0 + 3 * day },
    // No stop time: this run crashed.
    { id: 2, node_id: nodeId, version: '0.1.0', started_at: t0 + 3 * day + 5_000, stopped_at: null },
    { id: 3, node_id: nodeId, version: '0.1.0', started_at: t0 + 4 * day, stopped_at: t0 + 9 * day },
  ],
  services: [
    {
      id: 'web',
      source: 'api',
      definition: JSON.stringify({
        id: 'web',
        name: 'Web frontend',
        tags: ['public'],
        checks: [{ name: 'home', type: 'http', url: 'http://127.0.0.1:8080/', intervalMs: 10_000 }],
      }),
      created_at: t0,
      updated_at: t0 + day,
    },
    {
      id: 'demo-cache',
      source: 'demo',
      definition: JSON.stringify({
        id: 'demo-cache',
        name: 'Demo cache',
        checks: [{ name: 'port', type: 'tcp', host: '127.0.0.1', port: 6379 }],
      }),
      created_at: t0,
      updated_at: t0,
    },
  ],
  check_results: [
    {
      id: 1,
      service_id: 'web',
      check_name: 'home',
      at: t0 + 1_000,
      status: 'passing',
      latency_ms: 12.5,
      output: 'HTTP 200 in 12 ms',
    },
    {
      id: 2,
      service_id: 'web',
      check_name: 'home',
      at: t0 + 11_000,
      status: 'critical',
      latency_ms: 5000,
      output: 'timed out after 5000 ms',
    },
  ],
  check_rollups: [
    {
      service_id: 'web',
      check_name: 'home',
      minute: t0,
      runs: 2,
      passing: 1,
      warning: 0,
      critical: 1,
      unknown: 0,
      latency_sum: 5012.5,
      latency_max: 5000,
    },
  ],
  check_states: [
    { service_id: 'web', check_name: 'home', state: JSON.stringify(homeCheckMemory), updated_at: t0 + 11_000 },
  ],
  resource_samples: [
    {
      at: t0 + 500,
      cpu_percent: 23.5,
      memory_used: 6.2 * GB,
      memory_total: 16 * GB,
      disk_used: 212 * GB,
      disk_total: 512 * GB,
    },
    {
      at: t0 + 10_500,
      cpu_percent: 31.25,
      memory_used: 6.4 * GB,
      memory_total: 16 * GB,
      disk_used: 212 * GB,
      disk_total: 512 * GB,
    },
  ],
  resource_rollups: [
    {
      minute: t0,
      samples: 2,
      cpu_sum: 54.75,
      memory_used_sum: 12.6 * GB,
      memory_total: 16 * GB,
      disk_used_sum: 424 * GB,
      disk_total: 512 * GB,
    },
  ],
  supervisor_events: [
    { id: 1, service_id: 'worker', at: t0 + minute, kind: 'start', detail: 'pid 48213' },
    { id: 2, service_id: 'worker', at: t0 + 2 * minute, kind: 'exit', detail: 'exit code 137' },
    // An exit and the restart it causes often share one millisecond.
    { id: 3, service_id: 'worker', at: t0 + 2 * minute, kind: 'restart', detail: 'attempt 1 in 1000 ms' },
  ],
  supervised_processes: [
    {
      service_id: 'worker',
      pid: 48_240,
      argv: JSON.stringify(['node', 'worker.js', '--port', '9100']),
      started_at: t0 + 2 * minute + 1_000,
    },
  ],
  log_matches: [
    {
      id: 1,
      pattern_id: 'oom',
      source: 'worker',
      line: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      at: t0 + 2 * minute - 200,
    },
    { id: 2, pattern_id: 'http-5xx', source: 'web', line: 'GET /api/orders 502 31ms', at: t0 + 3 * minute },
  ],
  log_offsets: [
    // An inode number beyond what a JavaScript number holds exactly.
    {
      source: 'worker',
      path: '/var/log/worker.log',
      dev: '2049',
      ino: '18446744073709551557',
      offset: 88_231,
      updated_at: t0 + 3 * minute,
    },
    // The file did not exist yet when the source was first seen.
    { source: 'web', path: '/var/log/web/access.log', dev: null, ino: null, offset: 0, updated_at: t0 },
  ],
  alerts: [
    {
      id: 1,
      rule_id: 'web-down',
      rule_name: 'Web is down',
      severity: 'critical',
      state: 'resolved',
      value: 1,
      summary: 'web/home critical for 30 s',
      started_at: t0 + 11_000,
      firing_at: t0 + 41_000,
      resolved_at: t0 + 5 * minute,
    },
    {
      id: 2,
      rule_id: 'high-cpu',
      rule_name: 'CPU above 90%',
      severity: 'warning',
      state: 'firing',
      value: 94.2,
      summary: 'cpu 94.2% for 5 min',
      started_at: t0 + 6 * day,
      firing_at: t0 + 6 * day + 5 * minute,
      resolved_at: null,
    },
  ],
};

/** Fills each table the database has now with the rows a user would have in it; returns them as stored, by table. */
export function insertUserData(db: Database.Database): Record<string, Row[]> {
  const present = new Set(tablesOf(db));
  const filled = Object.keys(userRows).filter((table) => present.has(table));
  db.transaction(() => {
    for (const table of filled) {
      for (const row of userRows[table] ?? []) {
        const columns = Object.keys(row);
        db.prepare(
          `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
        ).run(row);
      }
    }
  })();
  return tableRows(db, filled);
}
