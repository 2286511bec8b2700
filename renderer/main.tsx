import './zod-without-eval.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectToAgent } from './client/agent-connection.js';
import { ClientProvider } from './client/client-context.js';
import { App } from './shell/app.js';
import { syncWithAgent } from './stores/sync-with-agent.js';
import './styles/theme.css';

const connection = connectToAgent();
syncWithAgent(connection);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ClientProvider client={connection.client}>
      <App />
    </ClientProvider>
  </StrictMode>,
);
