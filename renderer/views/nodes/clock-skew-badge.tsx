import type { Member } from '../../../shared/node.js';
import { isSkewed, skewText } from '../../format/clock-skew.js';

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
