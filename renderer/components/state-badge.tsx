import type { ReactNode } from 'react';

/** How a state stands; each tone has one colour in the theme (`.badge.tone-*`), the same in every view. */
export type Tone = 'waiting' | 'working' | 'warning' | 'good' | 'broken' | 'aside';

/** A state as a coloured badge; `data-state` carries the raw value for tests. */
export function StateBadge({
  kind,
  state,
  tone,
  children,
}: {
  /** A class naming what the state is of: `task-state`, `alert-state`. */
  kind: string;
  state: string;
  tone: Tone;
  children: ReactNode;
}) {
  return (
    <span className={`badge ${kind} tone-${tone}`} data-state={state}>
      {children}
    </span>
  );
}
