import { useEffect } from 'react';
import { fleetAlertsSelectors, useFleetAlertsStore } from '../stores/fleet-alerts-store.js';
import { nodesSelectors, useNodesStore } from '../stores/nodes-store.js';
import { ViewIcon } from './view-icon.js';
import { viewHref, views, type ViewId } from './views.js';
import fleetdeckLogo from '../assets/fleetdeck-logo.svg';

export function Sidebar({ current }: { current: ViewId }) {
  const self = useNodesStore(nodesSelectors.self);
  const firing = useFleetAlertsStore(fleetAlertsSelectors.firing);
  // The window's title (the desktop app's too) says how many alerts are firing across the fleet.
  useEffect(() => {
    document.title = firing > 0 ? `(${firing}) Fleetdeck` : 'Fleetdeck';
  }, [firing]);
  return (
    <aside className="sidebar">
      <div className="brand">
        <img className="brand-logo" src={fleetdeckLogo} alt="" width="28" height="28" />
        <span className="brand-name">Fleetdeck</span>
      </div>
      <nav className="sidebar-nav" aria-label="Views">
        <ul>
          {views.map((view) => (
            <li key={view.id}>
              <a href={viewHref(view.id)} aria-current={view.id === current ? 'page' : undefined}>
                <ViewIcon id={view.id} />
                {view.title}
                {view.id === 'alerts' && firing > 0 && (
                  <span className="nav-badge" data-testid="alerts-badge" aria-label={`${firing} firing`}>
                    {firing}
                  </span>
                )}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {self && <p className="sidebar-footer">Agent {self.version}</p>}
    </aside>
  );
}
