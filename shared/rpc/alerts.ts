import { z } from 'zod';
import { RulePreview } from '../alert-preview.js';
import { AlertRule, AlertRuleState } from '../alerts.js';
import { ListedAlert } from '../fleet-alerts.js';
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
        /** node: this node's alerts (its whole history with `all`); fleet: every node's, as they published them. */
        scope: z.enum(['node', 'fleet']).default('node'),
        /** open: pending and firing; all: also resolved, newest first. */
        state: z.enum(['open', 'all']).default('open'),
        ruleId: Slug.optional(),
        /** Only alerts older than this one (paging back through this node's history). */
        beforeId: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict()
      .refine((query) => query.scope === 'node' || query.beforeId === undefined, {
        path: ['beforeId'],
        message: "pages a node's history: the fleet's list has no pages",
      }),
    z.array(ListedAlert),
    'Alerts of this node (open ones, or its history) or of the whole fleet, each with its node.',
  ),
} as const;
