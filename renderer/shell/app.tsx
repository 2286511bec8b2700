import { AlertsView } from '../views/alerts/alerts-view.js';
import { NodesView } from '../views/nodes/nodes-view.js';
import { LogPatternsView } from '../views/log-patterns/log-patterns-view.js';
import { LogsView } from '../views/logs/logs-view.js';
import { ServicesView } from '../views/services/services-view.js';
import { SettingsView } from '../views/settings/settings-view.js';
import { TasksView } from '../views/tasks/tasks-view.js';
import { TopologyView } from '../views/topology/topology-view.js';
import { Sidebar } from './sidebar.js';
import { TopBar } from './top-bar.js';
import { useCurrentView } from './use-current-view.js';
import type { ViewEntry } from './views.js';
import './shell.css';

function CurrentView({ view }: { view: ViewEntry }) {
  switch (view.id) {
    case 'topology':
      return <TopologyView />;
    case 'nodes':
      return <NodesView />;
    case 'services':
      return <ServicesView />;
    case 'alerts':
      return <AlertsView />;
    case 'settings':
      return <SettingsView />;
    case 'logs':
      return <LogsView />;
    case 'log-patterns':
      return <LogPatternsView />;
    case 'tasks':
      return <TasksView />;
  }
}

export function App() {
  const view = useCurrentView();
  return (
    <div className="app">
      <Sidebar current={view.id} />
      <div className="workspace">
        <TopBar />
        <main className="content">
          <CurrentView view={view} />
        </main>
      </div>
    </div>
  );
}
