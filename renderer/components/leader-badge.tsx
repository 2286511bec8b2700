/** Marks the node that currently coordinates the fleet. */
export function LeaderBadge({ testId }: { testId?: string }) {
  return (
    <span className="badge badge-leader" data-testid={testId}>
      Leader
    </span>
  );
}
