import type { Scope } from '../auth.js';
import type { MethodName } from '../rpc.js';

/**
 * The scope each method needs. Typed over every method name, so a new method does not compile until it says what it
 * needs. `cluster.call` needs only `read` itself; the method it relays is checked against the caller's scope.
 */
export const methodScopes: { readonly [M in MethodName]: Scope } = {
  'node.status': 'read',
  'node.resources': 'read',
  'cluster.members': 'read',
  'cluster.members.forget': 'operate',
  'cluster.leader': 'read',
  'cluster.status': 'read',
  'cluster.settings': 'admin',
  'cluster.testConnection': 'admin',
  'cluster.configure': 'admin',
  'cluster.call': 'read',
  'services.list': 'read',
  'services.export': 'read',
  'services.upsert': 'admin',
  'services.remove': 'admin',
  'services.removeDemo': 'admin',
  'services.import': 'admin',
  'fleet.services.list': 'read',
  'fleet.services.put': 'admin',
  'fleet.services.remove': 'admin',
  'fleet.checkTemplates.list': 'read',
  'fleet.checkTemplates.put': 'admin',
  'fleet.checkTemplates.remove': 'admin',
  'checks.history': 'read',
  'services.signals': 'read',
  'checks.runNow': 'operate',
  'checks.report': 'operate',
  'fleet.logPatterns.list': 'read',
  'fleet.logPatterns.put': 'admin',
  'fleet.logPatterns.remove': 'admin',
  'logs.patterns.list': 'read',
  // Costs CPU on the node for a pattern nobody saved.
  'logs.patterns.test': 'operate',
  'logs.sources': 'read',
  'logs.matches': 'read',
  'logs.suggestions': 'read',
  'fleet.alertRules.list': 'read',
  'fleet.alertRules.put': 'admin',
  'fleet.alertRules.remove': 'admin',
  'alerts.rules.list': 'read',
  'fleet.fleetRules.list': 'read',
  'fleet.fleetRules.put': 'admin',
  'fleet.fleetRules.remove': 'admin',
  'fleet.alerts.acknowledge': 'operate',
  'fleet.alerts.unacknowledge': 'operate',
  'alerts.rules.preview': 'read',
  'alerts.list': 'read',
  'alerts.acknowledge': 'operate',
  'alerts.unacknowledge': 'operate',
  'alerts.resolve': 'operate',
  'alerts.timeline': 'read',
  'alerts.silencePreview': 'read',
  'fleet.silences.list': 'read',
  'fleet.silences.put': 'operate',
  'fleet.silences.remove': 'operate',
  'fleet.maintenanceWindows.list': 'read',
  'fleet.maintenanceWindows.put': 'operate',
  'fleet.maintenanceWindows.remove': 'operate',
  'tasks.submit': 'operate',
  'tasks.submitBatch': 'operate',
  'tasks.get': 'read',
  'tasks.list': 'read',
  'tasks.cancel': 'operate',
  'tasks.retry': 'operate',
  'tasks.bulk': 'operate',
  'tasks.stats': 'read',
  'tasks.types': 'read',
  'tasks.recurring': 'read',
  'audit.list': 'admin',
  'audit.export': 'admin',
  'auth.tokens.list': 'admin',
  'auth.tokens.create': 'admin',
  'auth.tokens.revoke': 'admin',
  'fleet.channels.list': 'read',
  'fleet.channels.put': 'admin',
  'fleet.channels.remove': 'admin',
  // Sends to a receiver with this node's secrets.
  'channels.test': 'admin',
  'notifications.list': 'read',
  'notifications.desktop.get': 'read',
  'notifications.desktop.set': 'admin',
};

/** Methods that need more than `read` for what they show, not because they change anything. */
const readsBeyondReadScope: ReadonlySet<MethodName> = new Set<MethodName>([
  'cluster.settings',
  'auth.tokens.list',
  'audit.list',
  'audit.export',
]);

/**
 * Whether a call changes something (anything beyond `read`, but for a few reads): what the audit log records. Reading
 * the audit log is not one, or every look at it would add to it.
 */
export const isMutating = (method: MethodName): boolean =>
  methodScopes[method] !== 'read' && !readsBeyondReadScope.has(method);
