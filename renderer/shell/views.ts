export type ViewId = 'topology' | 'services' | 'alerts' | 'logs' | 'log-patterns' | 'tasks' | 'nodes' | 'settings';

export interface ViewEntry {
  readonly id: ViewId;
  readonly title: string;
}

/** The sidebar, in order. Each view lives at `#/<id>`, optionally followed by `?<what it shows>`. */
export const views: readonly ViewEntry[] = [
  { id: 'topology', title: 'Topology' },
  { id: 'services', title: 'Services' },
  { id: 'alerts', title: 'Alerts' },
  { id: 'logs', title: 'Logs' },
  {
    id: 'log-patterns',
    title: 'Log patterns',
  },
  { id: 'tasks', title: 'Tasks' },
  { id: 'nodes', title: 'Nodes' },
  { id: 'settings', title: 'Settings' },
];

export const defaultViewId: ViewId = 'topology';

export const viewHref = (id: ViewId) => `#/${id}`;

/** The view a location hash names (its query left to the view); anything unknown falls back to the default view. */
export function viewFromHash(hash: string): ViewEntry {
  const id = hash.replace(/^#\/?/, '').replace(/\?.*$/s, '');
  return views.find((view) => view.id === id) ?? views.find((view) => view.id === defaultViewId)!;
}
