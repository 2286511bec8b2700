import { createContext, useContext, type ReactNode } from 'react';
import type { FleetdeckClient } from '../../shared/client.js';

const ClientContext = createContext<FleetdeckClient | null>(null);

/** Hands the one client to the views, which pass it to store actions: stores reach the agent only through it. */
export function ClientProvider({ client, children }: { client: FleetdeckClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): FleetdeckClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient() needs a <ClientProvider> above it');
  return client;
}
