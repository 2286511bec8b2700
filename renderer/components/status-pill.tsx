import type { CheckStatus } from '../../shared/services.js';
import { statusLabels } from './status-labels.js';

export { statusLabels };

/** A status as a coloured pill; `data-status` carries the raw value for tests and styles alike. */
export function StatusPill({ status, testId }: { status: CheckStatus; testId?: string }) {
  return (
    <span className={`status-pill status-${status}`} data-status={status} data-testid={testId}>
      {statusLabels[status]}
    </span>
  );
}
