import type { CheckStatus } from '../../shared/services.js';

/** A check status in words, as pills, tooltips and summaries show it (no JSX here, so plain modules can use it). */
export const statusLabels: Record<CheckStatus, string> = {
  passing: 'Passing',
  warning: 'Warning',
  critical: 'Critical',
  flapping: 'Flapping',
  unknown: 'Unknown',
};
