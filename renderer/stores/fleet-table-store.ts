import { create } from 'zustand';
import type { NodeRole } from '../../shared/ids.js';
import type { SortDirection } from '../components/sort-direction.js';
import { fieldSelectors } from './field-selectors.js';

export type FleetSortKey = 'name' | 'role' | 'health' | 'cpu' | 'memory' | 'disk' | 'alerts' | 'tasks' | 'lastSeen';

export interface FleetTableStoreState {
  sortKey: FleetSortKey;
  sortDirection: SortDirection;
  /** Matched against name, id and API URL. */
  query: string;
  role: NodeRole | 'all';
  /** `key=value` terms, comma-separated. */
  labelFilter: string;
}

export interface FleetTableStoreActions {
  /** The same column again flips the direction; a new column starts the way it is most useful. */
  sortBy(key: FleetSortKey): void;
  setQuery(query: string): void;
  setRole(role: NodeRole | 'all'): void;
  setLabelFilter(labelFilter: string): void;
  reset(): void;
}

/** Figures start highest first and health worst first: what an operator looks for. */
const firstDirection: Record<FleetSortKey, SortDirection> = {
  name: 'ascending',
  role: 'ascending',
  health: 'descending',
  cpu: 'descending',
  memory: 'descending',
  alerts: 'descending',
  tasks: 'descending',
  disk: 'descending',
  lastSeen: 'descending',
};

export const initialFleetTableState: FleetTableStoreState = {
  sortKey: 'name',
  sortDirection: 'ascending',
  query: '',
  role: 'all',
  labelFilter: '',
};

/** How the Nodes view's fleet table is sorted and filtered; kept while the user visits other views. */
export const useFleetTableStore = create<FleetTableStoreState & FleetTableStoreActions>()((set) => ({
  ...initialFleetTableState,
  sortBy: (key) =>
    set((state) =>
      state.sortKey === key
        ? { sortDirection: state.sortDirection === 'ascending' ? 'descending' : 'ascending' }
        : { sortKey: key, sortDirection: firstDirection[key] },
    ),
  setQuery: (query) => set({ query }),
  setRole: (role) => set({ role }),
  setLabelFilter: (labelFilter) => set({ labelFilter }),
  reset: () => set(initialFleetTableState),
}));

export const fleetTableSelectors = fieldSelectors(initialFleetTableState);
