import type { MaintenanceWindow, Silence } from '../../../shared/alert-lifecycle.js';
import type { LabelMatcher } from '../../../shared/label-matchers.js';
import { compileMatchers, type LabelPredicate } from '../../core/label-matchers.js';
import { compileRecurring, windowOpenedAt } from './maintenance-window-schedule.js';

export type AlertLabels = Readonly<Record<string, string>>;

/** Compiled matchers, by the list they came from (fleet values are kept, so each compiles once). */
const compiled = new WeakMap<readonly LabelMatcher[], LabelPredicate>();

const predicateOf = (matchers: readonly LabelMatcher[]): LabelPredicate => {
  let predicate = compiled.get(matchers);
  if (!predicate) {
    predicate = compileMatchers(matchers);
    compiled.set(matchers, predicate);
  }
  return predicate;
};

export interface SilencedVerdict {
  silenced: boolean;
  /** What silences it: `silence <id>` or `maintenance window <id>`. */
  by?: string;
}

/**
 * Whether an alert with these labels is silenced at `now`: by a silence in force (startsAt ≤ now < endsAt) or an
 * open maintenance window whose matchers all hold. `labels` are the alert's labels plus `node`, `rule`, `severity`
 * and, where the rule names one service, `service` (see `alertLabels`).
 */
export function isSilenced(
  labels: AlertLabels,
  now: number,
  silences: readonly Silence[],
  windows: readonly MaintenanceWindow[],
): SilencedVerdict {
  for (const silence of silences) {
    if (silence.startsAt <= now && now < silence.endsAt && predicateOf(silence.matchers)(labels)) {
      return { silenced: true, by: `silence ${silence.id}` };
    }
  }
  for (const window of windows) {
    if (windowOpenedAt(window, now) !== null && predicateOf(window.matchers)(labels)) {
      return { silenced: true, by: `maintenance window ${window.id}` };
    }
  }
  return { silenced: false };
}

export interface AlertLabelSource {
  /** The alert's own labels (node labels first, then the rule's, which win). */
  labels: AlertLabels;
  node: string;
  ruleId: string;
  severity: string;
  /** The one service the rule names, if it names exactly one. */
  service?: string;
}

/** The labels silences and windows match: the alert's own, plus the names the lifecycle always sets. */
export function alertLabels({ labels, node, ruleId, severity, service }: AlertLabelSource): AlertLabels {
  return { ...labels, node, rule: ruleId, severity, ...(service === undefined ? {} : { service }) };
}

/** A silence this node can apply: its matchers compile (else `invalid_request` naming the matcher). */
export const checkSilence = (silence: Silence): void => void compileMatchers(silence.matchers);

/** A maintenance window this node can apply: its matchers and its cron expression compile. */
export function checkWindow(window: MaintenanceWindow): void {
  compileMatchers(window.matchers);
  if (window.schedule.kind === 'recurring') compileRecurring(window.schedule);
}
