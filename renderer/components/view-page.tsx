import type { ReactNode } from 'react';
import './view-page.css';
import { formatClock } from '../format/time.js';
import { connectionSelectors, useConnectionStore } from '../stores/connection-store.js';

/**
 * The frame every view shares: its name as the page's one `h1`, an optional lead sentence, then content. While the
 * connection to the agent is lost the content is dimmed under a notice saying how old it is.
 */
export function ViewPage({
  title,
  lead,
  className,
  children,
}: {
  title: string;
  lead?: string;
  /** Extra classes on the frame, e.g. `view-wide` for a view that uses the whole width. */
  className?: string;
  children: ReactNode;
}) {
  const lost = useConnectionStore((state) => state.connection === 'lost');
  const dataAsOf = useConnectionStore(connectionSelectors.dataAsOf);
  const classes = ['view', className, lost && 'view-stale'].filter(Boolean).join(' ');
  return (
    <div className={classes} data-stale={lost || undefined}>
      <header className="view-header">
        <h1>{title}</h1>
        {lead && <p className="view-lead">{lead}</p>}
      </header>
      {lost && (
        <p className="stale-notice" role="status" data-testid="stale-notice">
          Connection to the agent lost:{' '}
          {dataAsOf === null ? 'no data received yet.' : `showing data as of ${formatClock(dataAsOf)}.`}
        </p>
      )}
      {children}
    </div>
  );
}
