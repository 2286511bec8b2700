import type { CheckStatus } from '../../shared/services.js';

export const statusLabels: Record<CheckStatus, string> = {
  passing: 'Passing',
  warning: 'Warning',
  critical: 'Critical',
  flapping: 'Flapping',
  unknown: 'Unknown',
};

/** A status as a coloured pill; `data-status` carries the raw value for tests and styles alike. */
export function StatusPill({ status, testId }: { status: CheckStatus; testId?: string }) {
  return (
    <span className={`status-pill status-${status}`} data-status={status} data-testid={testId}>
      {statusLabels[status]}
    </span>
  );
}
