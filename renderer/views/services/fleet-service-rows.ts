import type { CheckResult, ServiceState } from '../../../shared/services.js';
import type { MemberServicesAnswer } from '../../stores/fleet-services-store.js';
import { healthRank, serviceHealth, type ServiceHealth } from './service-health.js';

/** One service on one node, as the fleet-wide table lists it. */
export interface FleetServiceRow {
  key: string;
  memberId: string;
  memberName: string;
  service: ServiceState;
  health: ServiceHealth;
  /** The newest result of any of its checks. */
  lastResult: CheckResult | null;
}

const newest = (service: ServiceState): CheckResult | null =>
  service.checks.reduce<CheckResult | null>(
    (found, check) => (check.lastResult && (!found || check.lastResult.at > found.at) ? check.lastResult : found),
    null,
  );

/** Every service of every member that answered, worst health first, then by service and node name. */
export function fleetServiceRows(answers: readonly MemberServicesAnswer[]): FleetServiceRow[] {
  return answers
    .flatMap(({ memberId, memberName, services }) =>
      (services ?? []).map((service) => ({
        key: `${memberId}/${service.definition.id}`,
        memberId,
        memberName,
        service,
        health: serviceHealth(service),
        lastResult: newest(service),
      })),
    )
    .sort(
      (a, b) =>
        healthRank(b.health) - healthRank(a.health) ||
        a.service.definition.name.localeCompare(b.service.definition.name) ||
        a.memberName.localeCompare(b.memberName),
    );
}
