import { z } from 'zod';
import { RulePreview } from '../alert-preview.js';
import { Alert, AlertRule, AlertRuleState } from '../alerts.js';
import { Slug } from '../services.js';
import { fleetConfigMethods } from './fleet-config.js';
import { method, NoParams } from './method.js';

const fleetAlertRules = fleetConfigMethods(AlertRule, 'Alert rules');

/** Alert rules and the alerts they raised on this node. */
export const alertsMethods = {
  'fleet.alertRules.list': fleetAlertRules.list,
  'fleet.alertRules.put': fleetAlertRules.put,
  'fleet.alertRules.remove': fleetAlertRules.remove,
  'alerts.rules.list': method(
    NoParams,
    z.array(AlertRuleState),
    "Alert rules in force on this node (its config file's and the fleet's), each with its current state.",
  ),
  'alerts.rules.preview': method(
    z.object({ rule: AlertRule }).strict(),
    RulePreview,
    "How a rule would have behaved on this node's stored samples of the last 24 h: the series it judges and when it would have been pending or firing.",
  ),
  'alerts.list': method(
    z
      .object({
        /** open: pending and firing; all: also resolved, newest first. */
        state: z.enum(['open', 'all']).default('open'),
        ruleId: Slug.optional(),
        /** Only alerts older than this one (paging back through the history). */
        beforeId: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    z.array(Alert),
    'Alerts of this node: open ones, or the history.',
  ),
} as const;
