import type { ServiceState } from '../../../shared/services.js';
import { serviceHealth, serviceHealthLabels } from './service-health.js';

/** A service's health pill, the same in the list, the details and the fleet table ("No checks" in grey). */
export function ServiceHealthPill({
  service,
  testId,
}: {
  service: Pick<ServiceState, 'status' | 'checks'>;
  testId?: string;
}) {
  const health = serviceHealth(service);
  const tone = health === 'no-checks' ? 'status-unknown status-no-checks' : `status-${health}`;
  return (
    <span className={`status-pill ${tone}`} data-status={health} data-testid={testId}>
      {serviceHealthLabels[health]}
    </span>
  );
}
