import type { ReactNode } from 'react';
import type { ViewId } from './views.js';

const shapes: Record<ViewId, ReactNode> = {
  topology: (
    <>
      <circle cx="12" cy="5" r="2.5" />
      <circle cx="5" cy="18" r="2.5" />
      <circle cx="19" cy="18" r="2.5" />
      <path d="M10.8 7.2 6.3 15.8M13.2 7.2l4.5 8.6M7.5 18h9" />
    </>
  ),
  services: (
    <>
      <rect x="3" y="4" width="18" height="6" rx="1.5" />
      <rect x="3" y="14" width="18" height="6" rx="1.5" />
      <path d="M7 7h.01M7 17h.01" />
    </>
  ),
  alerts: <path d="M6 16v-5a6 6 0 0 1 12 0v5l1.5 2h-15L6 16ZM10 20.5a2 2 0 0 0 4 0" />,
  logs: <path d="M4 5h16M4 9h16M4 13h9M4 17h6m12-1-3 3-3-3m3 3v-8" />,
  'log-patterns': (
    <>
      <path d="M4 6h11M4 10h7M4 14h6M4 18h5m13.2 1.2-2-2" />
      <circle cx="17" cy="15" r="3" />
    </>
  ),
  tasks: <path d="m4 6 1.5 1.5L8 5m-4 7 1.5 1.5L8 11m-4 7 1.5 1.5L8 17m3-11h9m-9 6h9m-9 6h9" />,
  nodes: (
    <>
      <rect x="4" y="4" width="16" height="16" rx="2" />
      <rect x="8.5" y="8.5" width="7" height="7" rx="1" />
      <path d="M9 1.5V4m6-2.5V4M9 20v2.5m6-2.5v2.5M1.5 9H4m-2.5 6H4m16-6h2.5M20 15h2.5" />
    </>
  ),
  settings: (
    <>
      <path d="M4 6h10m4 0h2M4 12h4m4 0h8M4 18h12" />
      <circle cx="16" cy="6" r="2" />
      <circle cx="10" cy="12" r="2" />
      <circle cx="18" cy="18" r="2" />
    </>
  ),
};

/** A line icon for a sidebar entry; decorative, the link text names the view. */
export function ViewIcon({ id }: { id: ViewId }) {
  return (
    <svg
      className="view-icon"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {shapes[id]}
    </svg>
  );
}
