import type { ReactNode } from 'react';

export interface Fact {
  label: string;
  value: ReactNode;
  /** On the fact's wrapper: `facts-wide` spans the whole row. */
  className?: string;
  testId?: string;
}

/** Labelled values as a description list: "Role: agent", "Uptime: 3 h". */
export function Facts({ facts, className = 'facts' }: { facts: readonly (Fact | false | null)[]; className?: string }) {
  return (
    <dl className={className}>
      {facts.map(
        (fact) =>
          fact && (
            <div key={fact.label} className={fact.className}>
              <dt>{fact.label}</dt>
              <dd data-testid={fact.testId}>{fact.value}</dd>
            </div>
          ),
      )}
    </dl>
  );
}
