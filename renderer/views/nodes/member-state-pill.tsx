const pills = {
  down: {
    label: 'Down',
    title: 'Gone without a graceful leave: killed, crashed or cut off. Kept here until it returns or is forgotten.',
  },
  stale: {
    label: 'Stale',
    title: 'Registered, but its record is overdue: it may be stuck, and is down if its lease ends.',
  },
} as const;

/** A member that is not up as it should be: down (red) or stale (amber), the why in the tooltip. */
export function MemberStatePill({ state }: { state: keyof typeof pills }) {
  return (
    <span className={`status-pill member-${state}`} data-status={state} title={pills[state].title}>
      {pills[state].label}
    </span>
  );
}
