import { create } from 'zustand';
import type { ApiToken, CreatedToken, TokenCreate } from '../../shared/auth.js';
import type { FleetdeckClient } from '../../shared/client.js';
import { messageOf, outcomeOf, type Outcome } from '../client/outcome.js';
import { fieldSelectors } from './field-selectors.js';

export interface TokensStoreState {
  /** Newest first, revoked ones too. */
  tokens: ApiToken[];
  loaded: boolean;
  error: string | null;
  /** The token just created and its secret, shown until dismissed: the only time the secret is seen. */
  created: CreatedToken | null;
}

export interface TokensStoreActions {
  load(client: FleetdeckClient): Promise<void>;
  create(client: FleetdeckClient, request: TokenCreate): Promise<Outcome>;
  revoke(client: FleetdeckClient, id: string): Promise<Outcome>;
  /** Forgets the shown secret. */
  dismissCreated(): void;
  reset(): void;
}

export const initialTokensState: TokensStoreState = { tokens: [], loaded: false, error: null, created: null };

/** Settings → Tokens: the node's API tokens, and the secret of the one just created. */
export const useTokensStore = create<TokensStoreState & TokensStoreActions>()((set, get) => ({
  ...initialTokensState,
  async load(client) {
    try {
      set({ tokens: await client.call('auth.tokens.list', {}), loaded: true, error: null });
    } catch (error) {
      set({ error: messageOf(error) });
    }
  },
  async create(client, request) {
    return outcomeOf(async () => {
      set({ created: await client.call('auth.tokens.create', request) });
      await get().load(client);
    });
  },
  async revoke(client, id) {
    return outcomeOf(async () => {
      await client.call('auth.tokens.revoke', { id });
      await get().load(client);
    });
  },
  dismissCreated: () => set({ created: null }),
  reset: () => set(initialTokensState),
}));

export const tokensSelectors = fieldSelectors(initialTokensState);
