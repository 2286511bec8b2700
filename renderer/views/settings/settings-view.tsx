import { useId } from 'react';
import type { ConnectionState, TransportKind } from '../../client/agent-transport.js';
import { ViewPage } from '../../components/view-page.js';
import { connectionSelectors, useConnectionStore } from '../../stores/connection-store.js';
import { ClusterConnectionForm } from './cluster-connection-form.js';
import { ClusterStatusCard } from './cluster-status-card.js';
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
  const headingId = useId();
  return (
    <ViewPage title="Settings" lead="How this window reaches its agent, and how the agent reaches its fleet.">
      <section className="card" aria-labelledby={headingId}>
        <header className="card-header">
          <h2 id={headingId}>Connection</h2>
        </header>
        <dl className="facts">
          <div>
            <dt>Transport</dt>
            <dd data-testid="settings-transport">{transport ? transportNames[transport] : 'Not chosen yet'}</dd>
          </div>
          <div>
            <dt>Agent</dt>
            <dd>
              <code>{endpoint ?? 'Unknown'}</code>
            </dd>
          </div>
          <div>
            <dt>Connection</dt>
            <dd>{connectionNames[connection]}</dd>
          </div>
          <div>
            <dt>Agent state</dt>
            <dd>{agentState ?? 'Not reported since this window opened'}</dd>
          </div>
        </dl>
      </section>
      <ClusterStatusCard />
      <ClusterConnectionForm />
    </ViewPage>
  );
}
