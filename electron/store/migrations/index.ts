import { migration0001 } from './0001-settings.js';
import { migration0002 } from './0002-agent-runs.js';
import { migration0003 } from './0003-services.js';
import { migration0004 } from './0004-check-results.js';
import { migration0005 } from './0005-resource-samples.js';
import { migration0006 } from './0006-supervisor-events.js';
import { migration0007 } from './0007-resource-load-network.js';
import { migration0008 } from './0008-fleet-services.js';
import { migration0009 } from './0009-supervised-processes.js';
import { migration0010 } from './0010-log-matches.js';
import { migration0011 } from './0011-alerts.js';
import { migration0012 } from './0012-fleet-config-cache.js';
import { migration0013 } from './0013-tasks.js';
import { migration0014 } from './0014-api-tokens.js';
import { migration0015 } from './0015-audit-log.js';
import { migration0016 } from './0016-alert-rules-on-signals.js';
import { migration0017 } from './0017-alert-lifecycle.js';
import { migration0018 } from './0018-notification-outbox.js';
import { migration0019 } from './0019-alert-firing-value.js';
import { migration0020 } from './0020-service-signal-minutes.js';
import { migration0021 } from './0021-anomaly-baselines.js';
import type { Migration } from './migration.js';

/** Every migration, in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
  migration0015,
  migration0016,
  migration0017,
  migration0018,
  migration0019,
  migration0020,
  migration0021,
];
