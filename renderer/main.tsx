import './zod-without-eval.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectToAgent } from './client/agent-connection.js';
import { ClientProvider } from './client/client-context.js';
import { mustLogIn, sessionStatus } from './client/session.js';
import { startNotifications } from './notifications/start-notifications.js';
import { App } from './shell/app.js';
import { LoginScreen } from './shell/login-screen.js';
import { syncWithAgent } from './stores/sync-with-agent.js';
import './styles/theme.css';

const element = document.getElementById('root');
if (!element) throw new Error('index.html has no #root element');
const root = createRoot(element);

/** The login form in place of the app; once logged in, the page starts again with the session cookie. */
const showLogin = () =>
  root.render(
    <StrictMode>
      <LoginScreen baseUrl={location.origin} onLoggedIn={() => location.reload()} />
    </StrictMode>,
  );

async function start() {
  // A browser on an agent whose API needs a token logs in first (the desktop window talks over IPC).
  if (!window.fleetdeck && mustLogIn(await sessionStatus(location.origin))) {
    showLogin();
    return;
  }
  const connection = connectToAgent(showLogin);
  syncWithAgent(connection);
  startNotifications(connection);
  root.render(
    <StrictMode>
      <ClientProvider client={connection.client}>
        <App />
      </ClientProvider>
    </StrictMode>,
  );
}

void start();
