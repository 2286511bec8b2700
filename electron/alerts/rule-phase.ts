import type { AlertRule } from '../../shared/alerts.js';
import type { ConditionResult } from './evaluate-condition.js';

/**
 * Where a rule stands, with the times its `for` and `keepFiringFor` are measured from. Times are monotonic
 * readings in the engine (a wall-clock step must not fire or resolve anything) and sample times in a preview.
 */
export type RulePhase =
  | { state: 'inactive' }
  | { state: 'pending'; since: number }
  /** `clearedSince`: when the condition cleared while `keepFiringForSeconds` holds the alert firing. */
  | { state: 'firing'; clearedSince: number | null };

export const inactive: RulePhase = { state: 'inactive' };
const firing: RulePhase = { state: 'firing', clearedSince: null };

/**
 * The phase after one evaluation at `at`. Inactive → pending when the condition holds (→ firing at once with
 * `forSeconds` 0); pending → firing once it held `forSeconds`, → inactive when it stops; firing stays firing until
 * the clear threshold is reached, and then for `keepFiringForSeconds` more (holding again meanwhile starts that
 * wait over). No data (a null value) changes nothing.
 */
export function nextPhase(
  rule: Pick<AlertRule, 'forSeconds' | 'keepFiringForSeconds'>,
  phase: RulePhase,
  result: Pick<ConditionResult, 'holds' | 'keepsFiring' | 'value'>,
  at: number,
): RulePhase {
  if (result.value === null) return phase;
  switch (phase.state) {
    case 'inactive':
      if (!result.holds) return phase;
      return rule.forSeconds === 0 ? { state: 'firing', clearedSince: null } : { state: 'pending', since: at };
    case 'pending':
      if (!result.holds) return inactive;
      return at - phase.since >= rule.forSeconds * 1000 ? { state: 'firing', clearedSince: null } : phase;
    case 'firing': {
      if (result.holds || result.keepsFiring) return phase.clearedSince === null ? phase : firing;
      const clearedSince = phase.clearedSince ?? at;
      if (at - clearedSince >= rule.keepFiringForSeconds * 1000) return inactive;
      return { state: 'firing', clearedSince };
    }
  }
}
