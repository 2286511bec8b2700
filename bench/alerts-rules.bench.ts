// Rule evaluation: one engine tick over 10,000 series (checks of this node, each with stored results in the window)
// and 100 rules (a quarter each on check latency, service error rate, check status and resources), with the engine's
// real inputs: check runs read from SQLite per window, statuses and a resource sample in memory. The time per tick
// is set against the tick interval (5 s by default): the share of it that evaluation takes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { AlertEngine, DEFAULT_ALERT_INTERVAL_MS } from '../electron/alerts/alert-engine.js';
import type { CheckReading } from '../electron/alerts/evaluate-condition.js';
import { StoredSignals } from '../electron/alerts/signals/stored-signals.js';
import { systemClock } from '../electron/core/clock.js';
import { AlertsRepository } from '../electron/store/alerts-repository.js';
import { CheckHistoryRepository } from '../electron/store/check-history-repository.js';
import { openDatabase } from '../electron/store/open-database.js';
import type { AlertSignal } from '../shared/alert-signals.js';
import { AlertRule } from '../shared/alerts.js';
import type { ResourceSample } from '../shared/node.js';
import type { CheckStatus } from '../shared/services.js';
import { fmt, machine, percentile } from './support.js';

const SERVICES = 1_000;
const CHECKS_PER_SERVICE = 10;
const RUNS_PER_CHECK = 3;
const RULES = 100;
const TICKS = 40;

const clock = systemClock;
const now = clock.now();
const { db } = openDatabase(join(mkdtempSync(join(tmpdir(), 'fleetdeck-bench-rules-')), 'fleetdeck.db'), { now });

// 10,000 series: every check ran three times in the last minute, one in twenty of them failing.
const history = new CheckHistoryRepository(db, { maxBuffered: SERVICES * CHECKS_PER_SERVICE * RUNS_PER_CHECK });
const readings: CheckReading[] = [];
for (let s = 0; s < SERVICES; s++) {
  for (let c = 0; c < CHECKS_PER_SERVICE; c++) {
    const failing = (s * CHECKS_PER_SERVICE + c) % 20 === 0;
    for (let run = 0; run < RUNS_PER_CHECK; run++) {
      history.record(`svc-${s}`, `check-${c}`, {
        at: now - (run + 1) * 15_000,
        status: failing ? 'critical' : 'passing',
        latencyMs: 20 + ((s * 7 + c * 13 + run) % 400),
        output: '',
      });
    }
    const status: CheckStatus = failing ? 'critical' : 'passing';
    readings.push({ serviceId: `svc-${s}`, check: `check-${c}`, status });
  }
}
history.flush();

const sample: ResourceSample = {
  sampledAt: now,
  cpu: { loadPercent: 42, cores: 8 },
  memory: { usedBytes: 6, totalBytes: 8 },
  disk: { mount: '/', usedBytes: 70, totalBytes: 100 },
  load: { avg1: 1.5, avg5: 1, avg15: 1 },
  network: { rxBytesPerSec: 1e6, txBytesPerSec: 2e5 },
  disks: [],
};

// 100 rules over two windows; scoped to one service, ten, or all; thresholds so that some hold and some do not.
const signalOf = (i: number): AlertSignal => {
  const serviceIds =
    i % 3 === 0 ? [] : Array.from({ length: i % 3 === 1 ? 1 : 10 }, (_, k) => `svc-${(i + k) % SERVICES}`);
  const windowSeconds = i % 2 === 0 ? 60 : 300;
  switch (i % 4) {
    case 0:
      return { kind: 'checkLatency', serviceIds, windowSeconds };
    case 1:
      return { kind: 'errorRate', serviceIds, windowSeconds };
    case 2:
      return { kind: 'checkStatus', serviceIds, status: 'critical' };
    default:
      return { kind: 'resource', metric: (['cpu', 'memory', 'disk', 'load1'] as const)[i % 4] ?? 'cpu' };
  }
};
const rules = Array.from({ length: RULES }, (_, i) =>
  AlertRule.parse({
    id: `rule-${i}`,
    name: `Rule ${i}`,
    signal: signalOf(i),
    operator: i % 5 === 0 ? 'outside' : 'above',
    threshold: 50 + (i % 7) * 10,
    ...(i % 5 === 0 ? { thresholdHigh: 400 } : { clearThreshold: 40 }),
    description: '{{value}} on {{node}}',
  }),
);

const signals = new StoredSignals(db);
const engine = new AlertEngine({
  repository: new AlertsRepository(db),
  clock,
  logger: pino({ level: 'silent' }),
  inputs: {
    resources: () => sample,
    checks: () => readings,
    countLogMatches: () => 0,
    checkRuns: (sinceMs) => signals.checkRuns(sinceMs),
    taskCounts: () => ({ waiting: 0, dead: 0 }),
  },
  events: { publish: () => {} },
  node: { id: 'bench', labels: {} },
});
engine.setConfigRules(rules);

engine.evaluate(); // warm-up: prepares statements, raises the alerts that hold
const ticks: number[] = [];
for (let tick = 0; tick < TICKS; tick++) {
  const started = performance.now();
  engine.evaluate();
  ticks.push(performance.now() - started);
}
ticks.sort((a, b) => a - b);
const p50 = percentile(ticks, 50);
const p99 = percentile(ticks, 99);
const firing = Object.values(engine.openCounts()).reduce((sum, n) => sum + n, 0);

console.log(`alerts rule evaluation: ${machine()}`);
console.log(
  `  ${SERVICES * CHECKS_PER_SERVICE} series (${SERVICES * CHECKS_PER_SERVICE * RUNS_PER_CHECK} stored runs) × ${RULES} rules, ${TICKS} ticks, ${firing} alerts firing`,
);
console.log(`  time per tick          p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms, max ${fmt(ticks.at(-1) ?? NaN)} ms`);
console.log(
  `  share of the ${DEFAULT_ALERT_INTERVAL_MS / 1000} s interval  p50 ${fmt((p50 / DEFAULT_ALERT_INTERVAL_MS) * 100)} %, p99 ${fmt((p99 / DEFAULT_ALERT_INTERVAL_MS) * 100)} %`,
);
db.close();
