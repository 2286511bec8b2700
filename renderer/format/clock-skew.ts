import { CLOCK_SKEW_WARNING_MS, type Member } from '../../shared/node.js';

/** "30 s ahead", "2.5 s behind": how a member's clock stands against this node's. */
export function skewText(skewMs: number): string {
  const seconds = Math.abs(skewMs) / 1000;
  const shown = seconds >= 10 ? Math.round(seconds) : Math.round(seconds * 10) / 10;
  return `${shown} s ${skewMs >= 0 ? 'ahead' : 'behind'}`;
}

/** Whether a member's clock is off from this node's by more than the warning threshold. */
export const isSkewed = (member: Member): boolean => Math.abs(member.clockSkewMs ?? 0) > CLOCK_SKEW_WARNING_MS;
