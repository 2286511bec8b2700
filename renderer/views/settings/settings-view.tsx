import { Card } from '../../components/card.js';
import { Facts } from '../../components/facts.js';
import type { ConnectionState, TransportKind } from '../../client/agent-transport.js';
import { ViewPage } from '../../components/view-page.js';
import { connectionSelectors, useConnectionStore } from '../../stores/connection-store.js';
import { ClusterConnectionForm } from './cluster-connection-form.js';
import { AuditCard } from './audit-card.js';
import { ClusterStatusCard } from './cluster-status-card.js';
import { NotificationsCard } from './notifications-card.js';
import { TokensCard } from './tokens-card.js';
import './settings-view.css';

const transportNames: Record<TransportKind, string> = {
  ipc: 'IPC (Electron preload bridge)',
  http: 'HTTP (RPC calls, server-sent events)',
};

const connectionNames: Record<ConnectionState, string> = {
  connecting: 'Connecting',
  live: 'Live',
  lost: 'Lost, retrying',
};

export function SettingsView() {
  const transport = useConnectionStore(connectionSelectors.transport);
  const endpoint = useConnectionStore(connectionSelectors.endpoint);
  const connection = useConnectionStore(connectionSelectors.connection);
  const agentState = useConnectionStore(connectionSelectors.agentState);
  return (
    <ViewPage title="Settings" lead="How this window reaches its agent, and how the agent reaches its fleet.">
      <Card title="Connection">
        <Facts
          facts={[
            {
              label: 'Transport',
              value: transport ? transportNames[transport] : 'Not chosen yet',
              testId: 'settings-transport',
            },
            {
              label: 'Agent',
              value: <code>{endpoint ?? 'Unknown'}</code>,
            },
            { label: 'Connection', value: connectionNames[connection] },
            { label: 'Agent state', value: agentState ?? 'Not reported since this window opened' },
          ]}
        />
      </Card>
      <ClusterStatusCard />
      <ClusterConnectionForm />
      <NotificationsCard />
      <TokensCard />
      <AuditCard />
    </ViewPage>
  );
}
