import { CLOCK_SKEW_WARNING_MS, type Member } from '../../../shared/node.js';
import { isSkewed, skewText } from './clock-skew.js';

/** A member's clock off by more than the threshold, as a badge beside its last-seen time. */
export function ClockSkewBadge({ member }: { member: Member }) {
  if (member.clockSkewMs === undefined || !isSkewed(member)) return null;
  return (
    <span
      className="badge clock-skew-badge"
      data-testid="clock-skew-badge"
      title={`Its clock is ${skewText(member.clockSkewMs)} of this node's: the times it reports are off by that much.`}
    >
      clock {skewText(member.clockSkewMs)}
    </span>
  );
}

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
