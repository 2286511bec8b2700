import type { ReactNode } from 'react';

/** The frame every view shares: its name as the page's one `h1`, an optional lead sentence, then content. */
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
  return (
    <div className={className ? `view ${className}` : 'view'}>
      <header className="view-header">
        <h1>{title}</h1>
        {lead && <p className="view-lead">{lead}</p>}
      </header>
      {children}
    </div>
  );
}
