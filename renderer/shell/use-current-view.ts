import { useSyncExternalStore } from 'react';
import { viewFromHash, type ViewEntry } from './views.js';

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};
const currentHash = () => location.hash;

/** The view named by the location hash, following back/forward and link clicks. */
export function useCurrentView(): ViewEntry {
  return viewFromHash(useSyncExternalStore(subscribe, currentHash));
}
