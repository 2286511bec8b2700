import { create } from 'zustand';
import { callOn } from '../client/call-member.js';
import { useClusterStore } from './cluster-store.js';
import { nodesSelectors, useNodesStore } from './nodes-store.js';
import type { FleetdeckClient } from '../../shared/client.js';
import type { ChannelInput, Delivery, DeliveryState, SendOutcome } from '../../shared/notifications.js';
import { FleetConfigKind } from '../../shared/node.js';
import { messageOf } from '../client/outcome.js';
import { fieldSelectors } from './field-selectors.js';
import { createFleetEntryStore } from './fleet-entry-store.js';
import { foldCalls } from './fold-calls.js';

/** The notification channels saved for the whole fleet (secrets listed only as set), and the channel editor. */
export const fleetChannels = createFleetEntryStore<ChannelInput>(FleetConfigKind.enum.channels, {
  list: (client) => client.call('fleet.channels.list', {}),
  put: (client, value) => client.call('fleet.channels.put', { value }),
  remove: (client, id) => client.call('fleet.channels.remove', { id }),
});

/** A test send: under way, or what the receiver answered (or why the call failed). */
export type ChannelTest = { busy: true } | ({ busy: false } & SendOutcome);

interface ChannelsState {
  /** The outbox of the node this window talks to, newest first; null until the first answer. */
  deliveries: Delivery[] | null;
  deliveriesError: string | null;
  /** Which deliveries are listed. */
  stateFilter: DeliveryState | 'all';
  /** The last test of each channel, by id. */
  tests: Record<string, ChannelTest>;
}

interface ChannelsActions {
  loadDeliveries(client: FleetdeckClient): Promise<void>;
  filterDeliveries(client: FleetdeckClient, state: DeliveryState | 'all'): Promise<void>;
  /** Sends a test notification through a channel from the node this window talks to. */
  test(client: FleetdeckClient, id: string): Promise<void>;
  reset(): void;
}

const initialState: ChannelsState = { deliveries: null, deliveriesError: null, stateFilter: 'all', tests: {} };

export const useChannelsStore = create<ChannelsState & ChannelsActions>()((set, get) => {
  const fetchDeliveries = foldCalls(async (client: FleetdeckClient) => {
    const { stateFilter } = get();
    try {
      // The leader's outbox sends for the whole fleet; another node's holds only what it sent while it led.
      const leaderId = useClusterStore.getState().status?.leader?.id ?? null;
      const selfId = nodesSelectors.self(useNodesStore.getState())?.id;
      const deliveries = await callOn(client, leaderId === selfId ? null : leaderId, 'notifications.list', {
        ...(stateFilter !== 'all' && { state: stateFilter }),
        limit: 100,
      });
      set({ deliveries, deliveriesError: null });
    } catch (error) {
      set({ deliveriesError: messageOf(error) });
    }
  });
  const setTest = (id: string, test: ChannelTest) => set((state) => ({ tests: { ...state.tests, [id]: test } }));
  return {
    ...initialState,
    loadDeliveries: fetchDeliveries,
    async filterDeliveries(client, stateFilter) {
      set({ stateFilter });
      await fetchDeliveries(client);
    },
    async test(client, id) {
      setTest(id, { busy: true });
      try {
        setTest(id, { busy: false, ...(await client.call('channels.test', { id })) });
      } catch (error) {
        setTest(id, { busy: false, ok: false, detail: messageOf(error) });
      }
    },
    reset() {
      fetchDeliveries.forgetAgain();
      set(initialState);
    },
  };
});

export const channelsSelectors = fieldSelectors<ChannelsState>(initialState);
