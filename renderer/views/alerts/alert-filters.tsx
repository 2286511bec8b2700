import { AlertSeverity } from '../../../shared/alerts.js';
import { SelectField } from '../../components/form-fields.js';
import {
  alertLifecycleSelectors,
  useAlertLifecycleStore,
  type AlertFilters,
} from '../../stores/alert-lifecycle-store.js';

/** The filter options the node's and the fleet's lists share. */
export const severityOptions = [
  { value: 'all', label: 'Any severity' },
  ...AlertSeverity.options.map((severity) => ({
    value: severity,
    label: severity[0]!.toUpperCase() + severity.slice(1),
  })),
] as const satisfies ReadonlyArray<{ value: AlertFilters['severity']; label: string }>;

export const stateOptions = [
  { value: 'all', label: 'Pending and firing' },
  { value: 'firing', label: 'Firing' },
  { value: 'pending', label: 'Pending' },
] as const satisfies ReadonlyArray<{ value: AlertFilters['state']; label: string }>;

export const ackOptions = [
  { value: 'all', label: 'Acknowledged or not' },
  { value: 'no', label: 'Not acknowledged' },
  { value: 'yes', label: 'Acknowledged' },
] as const satisfies ReadonlyArray<{ value: AlertFilters['acknowledged']; label: string }>;

/** The open alerts list's filters: severity, state, acknowledged. */
export function AlertFiltersBar() {
  const filters = useAlertLifecycleStore(alertLifecycleSelectors.filters);
  const setFilters = useAlertLifecycleStore((s) => s.setFilters);
  return (
    <div className="toolbar alert-filters" role="group" aria-label="Filter open alerts">
      <SelectField<AlertFilters['severity']>
        label="Severity"
        value={filters.severity}
        options={severityOptions}
        onChange={(severity) => setFilters({ severity })}
      />
      <SelectField<AlertFilters['state']>
        label="State"
        value={filters.state}
        options={stateOptions}
        onChange={(state) => setFilters({ state })}
      />
      <SelectField<AlertFilters['acknowledged']>
        label="Acknowledged"
        value={filters.acknowledged}
        options={ackOptions}
        onChange={(acknowledged) => setFilters({ acknowledged })}
      />
    </div>
  );
}
