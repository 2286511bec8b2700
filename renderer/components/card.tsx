import { createContext, useContext, useId, type ReactNode } from 'react';

/** The id of the enclosing card's heading, so a table inside it is named by that heading. */
const CardHeadingContext = createContext<string | undefined>(undefined);

export const useCardHeadingId = () => useContext(CardHeadingContext);

/** Why something could not be loaded or done: `lead` says what, then the agent's message. Nothing without one. */
export function ErrorNotice({ lead, error }: { lead: ReactNode; error: string | null | undefined }) {
  if (!error) return null;
  return (
    <p className="notice notice-error" role="alert">
      {lead}: {error}
    </p>
  );
}

export interface CardProps {
  title: ReactNode;
  /** A short figure beside the heading: "3 patterns". */
  count?: ReactNode;
  /** A sentence under the heading. */
  description?: ReactNode;
  /** Buttons at the end of the header. */
  actions?: ReactNode;
  /** Shown in the header as it is, for a figure that needs more than the muted look of `count`. */
  aside?: ReactNode;
  /** What could not be loaded, and the agent's message (shown when there is one). */
  errorLead?: ReactNode;
  error?: string | null;
  /** Instead of the content until it arrives: nothing while an error is shown. */
  loading?: boolean;
  loadingText?: string;
  /** Instead of the content when there is nothing to show. */
  empty?: ReactNode;
  /** After the content, shown whether it is empty or not. */
  footer?: ReactNode;
  className?: string;
  testId?: string;
  children?: ReactNode;
}

/** A titled section of a view: heading with count and actions, then its error, loading, empty state or content. */
export function Card({
  title,
  count,
  description,
  actions,
  aside,
  errorLead = 'Could not load it',
  error = null,
  loading = false,
  loadingText = 'Loading…',
  empty,
  footer,
  className,
  testId,
  children,
}: CardProps) {
  const headingId = useId();
  const heading = <h2 id={headingId}>{title}</h2>;
  return (
    <section className={className ? `card ${className}` : 'card'} aria-labelledby={headingId} data-testid={testId}>
      <header className="card-header">
        {description ? (
          <div>
            {heading}
            <p className="muted">{description}</p>
          </div>
        ) : (
          heading
        )}
        {count !== undefined && count !== null && count !== false && <span className="muted">{count}</span>}
        {aside}
        {actions}
      </header>
      <ErrorNotice lead={errorLead} error={error} />
      <CardHeadingContext.Provider value={headingId}>
        {loading ? (
          !error && <p className="muted">{loadingText}</p>
        ) : empty ? (
          <p className="muted">{empty}</p>
        ) : (
          children
        )}
        {footer}
      </CardHeadingContext.Provider>
    </section>
  );
}
