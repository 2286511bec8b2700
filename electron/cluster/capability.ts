import { diffMembers, type SentMembers } from '../../shared/member-changes.js';
import type { ClusterStatus, LeaderInfo, Member } from '../../shared/node.js';
import type { clusterMethods } from '../../shared/rpc/cluster.js';
import type { AgentStartup, Capability, CapabilityContext } from '../agent/capability.js';
import { withKeptPassword } from '../config/backend-settings.js';
import { coalesce } from '../core/coalesce.js';
import { CodedError } from '../core/coded-error.js';
import { Listeners } from '../core/listeners.js';
import { version } from '../core/version.js';
import type { BackendControl } from './backend-control.js';
import { FleetMembership } from './fleet-membership.js';
import { clusterHandlers } from './handlers.js';
import { openMemberLink } from './member-link.js';
import { memberCall, type MemberCall } from './remote-call.js';
import { testConnection } from './test-connection.js';

const MEMBER_EVENT_INTERVAL_MS = 250;

/** The cluster capability, and what it offers the others: the members, this node's leadership, a change signal. */
export interface ClusterCapability extends Capability<keyof typeof clusterMethods> {
  members(): Member[];
  leadership(): LeaderInfo | null;
  status(): ClusterStatus;
  /** Calls a method on a member (this node included) on behalf of a caller, with the fleet credential. */
  call: MemberCall;
  /** Members or this node's leadership changed. */
  onChange(listener: () => void): () => void;
}

/**
 * This node's place in the fleet: it joins under its API address, follows members and leadership, publishes its
 * summary on its member record, and relays calls to other members.
 */
export function createClusterCapability(context: CapabilityContext, backendControl: BackendControl): ClusterCapability {
  const { config, clock, events, metrics, backend, summary } = context;
  const logger = context.logger('cluster');
  let membership: FleetMembership | null = null;
  const stops: Array<() => void> = [];
  const changes = new Listeners<void>((error) => logger.error({ err: error }, 'a cluster listener failed'));

  const members = (): Member[] => membership?.members() ?? [];
  const call = memberCall({
    members,
    self: { id: context.node.id, call: context.call },
    link: openMemberLink(config),
  });
  const leadership = (): LeaderInfo | null => membership?.leadership() ?? null;
  const status = (): ClusterStatus =>
    membership?.status() ?? {
      backend: config.backend.kind,
      state: 'connecting',
      lastError: null,
      leader: null,
      facts: null,
      leaderClaims: [],
    };
  // In a large fleet summaries change many times a second; UIs get what changed at most 4 times a second.
  const sent: SentMembers = new Map();
  const memberEvents = coalesce(clock, MEMBER_EVENT_INTERVAL_MS, () => {
    const current = members();
    metrics.members.set(current.length);
    const diff = diffMembers(sent, current);
    if (diff) events.publish({ type: 'cluster.membersChanged', data: diff });
    changes.emit();
  });

  const join = async ({ apiUrl }: AgentStartup) => {
    const { name, role, labels } = config;
    const joined = new FleetMembership({
      backend,
      record: { id: context.node.id, name, role, labels, version, apiUrl, startedAt: context.node.startedAt },
      ttlSeconds: config.leaseTtlSeconds,
      heartbeatMs: config.members.heartbeatSeconds * 1000,
      downRetentionMs: config.members.downRetentionDays * 24 * 3_600_000,
      campaign: config.campaign ?? (config.role === 'agent' || config.backend.kind === 'local'),
      clock,
      logger,
    });
    membership = joined;
    stops.push(
      joined.onMembers(() => memberEvents.trigger()),
      () => memberEvents.cancel(),
      joined.onLeadership((held) => {
        metrics.leader.set(held ? 1 : 0);
        summary.changed(true);
        changes.emit();
      }),
      joined.onStatus((current) => {
        metrics.coordinationConnected.set(current.state === 'connected' ? 1 : 0);
        events.publish({ type: 'cluster.status', data: current });
      }),
      joined.onSplitBrain(() => metrics.splitBrains.inc()),
      summary.onChanged((change) => joined.publishSummary(change.summary, change.urgent)),
    );
    await joined.join();
  };

  return {
    name: 'cluster',
    handlers: clusterHandlers({
      members,
      forget: (id) => {
        if (!membership) throw new CodedError('unavailable', 'this node has not joined the fleet yet');
        return membership.forget(id);
      },
      leader: () => membership?.leader() ?? null,
      status,
      testConnection: (update) => testConnection(withKeptPassword(update, config.backend)),
      settings: () => backendControl.settings(),
      configure: (update) => backendControl.configure(update),
      call,
    }),
    members,
    call,
    leadership,
    status,
    onChange: (listener: () => void) => changes.add(listener),
    start: join,
    async stop() {
      for (const stop of stops.splice(0)) stop();
      try {
        await membership?.leave();
      } catch (error) {
        logger.warn({ err: error }, 'leaving the fleet failed; the lease will expire by itself');
      }
    },
    summary() {
      const held = leadership();
      return { leaderClaim: held ? { leaseId: held.leaseId, revision: held.revision } : null };
    },
  };
}
