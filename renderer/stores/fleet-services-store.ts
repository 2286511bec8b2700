import { create } from 'zustand';
import type { FleetdeckClient } from '../../shared/client.js';
import type { Member } from '../../shared/node.js';
import { statusSeverity, type ServiceState } from '../../shared/services.js';
import { callOn } from '../client/call-member.js';
import { messageOf } from '../client/outcome.js';
import { fieldSelectors } from './field-selectors.js';
import { foldCalls } from './fold-calls.js';

/** The most members asked for their services in one refresh, the least healthy first. */
export const MAX_MEMBERS_ASKED = 24;
/** Members asked at once, so a big fleet does not queue dozens of relayed calls on the connected agent. */
const PARALLEL_CALLS = 4;

/** What one member answered to `services.list`, through `cluster.call`. */
export interface MemberServicesAnswer {
  memberId: string;
  memberName: string;
  services: ServiceState[] | null;
  error: string | null;
}

export interface FleetServicesState {
  answers: MemberServicesAnswer[];
  /** Members with services (by their summaries): more than were asked when the fleet is big. */
  membersWithServices: number;
  /** Local time of the last refresh; null until the first. */
  loadedAt: number | null;
  loading: boolean;
  error: string | null;
}

export interface FleetServicesActions {
  /** Lists the members, then asks up to MAX_MEMBERS_ASKED of them for their services, a few at a time. */
  load(client: FleetdeckClient): Promise<void>;
  reset(): void;
}

export const initialFleetServicesState: FleetServicesState = {
  answers: [],
  membersWithServices: 0,
  loadedAt: null,
  loading: false,
  error: null,
};

/** Members whose summaries say they have services (or say nothing yet), the least healthy first. */
export function membersToAsk(members: readonly Member[], max = MAX_MEMBERS_ASKED): { ask: Member[]; total: number } {
  const candidates = members
    .filter((member) => (member.summary?.services ?? 1) > 0)
    .sort(
      (a, b) =>
        statusSeverity[b.summary?.health ?? 'unknown'] - statusSeverity[a.summary?.health ?? 'unknown'] ||
        a.name.localeCompare(b.name),
    );
  return { ask: candidates.slice(0, max), total: candidates.length };
}

/** Runs `task` over `items` with at most `limit` at a time, keeping the items' order in the answers. */
async function inParallel<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The services of the fleet's members, for the Services view's fleet-wide table. */
export const useFleetServicesStore = create<FleetServicesState & FleetServicesActions>()((set) => {
  const fetchAll = async (client: FleetdeckClient) => {
    set({ loading: true });
    try {
      const { ask, total } = membersToAsk(await client.call('cluster.members', {}));
      const answers = await inParallel(ask, PARALLEL_CALLS, async (member): Promise<MemberServicesAnswer> => {
        const answer = { memberId: member.id, memberName: member.name };
        try {
          return { ...answer, services: await callOn(client, member.id, 'services.list', {}), error: null };
        } catch (error) {
          return { ...answer, services: null, error: messageOf(error) };
        }
      });
      set({ answers, membersWithServices: total, loadedAt: Date.now(), loading: false, error: null });
    } catch (error) {
      set({ loading: false, error: messageOf(error) });
    }
  };
  const folded = foldCalls(fetchAll);
  return {
    ...initialFleetServicesState,
    load: folded,
    reset() {
      folded.forgetAgain();
      set(initialFleetServicesState);
    },
  };
});

export const fleetServicesSelectors = fieldSelectors(initialFleetServicesState);
