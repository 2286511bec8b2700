import { CLOCK_SKEW_WARNING_MS, type Member } from '../../shared/node.js';
import { isSkewed, skewText } from '../format/clock-skew.js';

/** The fleet warning: members whose clocks are off by more than the threshold from this node's. */
export function ClockSkewBanner({ members }: { members: readonly Member[] }) {
  const skewed = members.filter(isSkewed);
  if (skewed.length === 0) return null;
  return (
    <p className="notice notice-warning banner" role="alert" data-testid="clock-skew-banner">
      <strong>Clock skew:</strong>{' '}
      {skewed.map((member) => `${member.name}'s clock is ${skewText(member.clockSkewMs ?? 0)}`).join('; ')} of this
      node's (more than {CLOCK_SKEW_WARNING_MS / 1000} s). Times those members report are off by as much; check time
      synchronisation (NTP) on their machines.
    </p>
  );
}
