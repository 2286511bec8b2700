/** How many of a member's latest records the estimate is taken over. */
const WINDOW = 7;
/** No estimate from fewer records: one record read late (a re-list after an outage) must not make one. */
const MIN_SAMPLES = 3;

/**
 * Estimates each member's wall-clock skew from the records it writes: a record stamped `publishedAt` by the
 * writer's clock and received at `receivedAt` by ours gives `publishedAt - receivedAt` = skew − delivery latency.
 * The median of the latest few is the estimate: a record read late (after an outage, on a re-list) is an
 * outlier it ignores, and the latency of a live watch (milliseconds) is far below what is worth a warning.
 */
export class ClockSkewEstimator {
  /** `estimate`: taken when a record comes, as it is read far more often (every member list) than it changes. */
  private readonly members = new Map<
    string,
    { lastPublishedAt: number; samples: number[]; estimate: number | undefined }
  >();

  /** A record of `memberId`; only a new one (a `publishedAt` not seen before) counts. */
  observe(memberId: string, publishedAt: number, receivedAt: number): void {
    const known = this.members.get(memberId);
    if (known?.lastPublishedAt === publishedAt) return;
    const samples = known?.samples ?? [];
    samples.push(publishedAt - receivedAt);
    if (samples.length > WINDOW) samples.shift();
    this.members.set(memberId, { lastPublishedAt: publishedAt, samples, estimate: medianOf(samples) });
  }

  /** The estimate in ms (positive: the member's clock is ahead of ours); undefined until enough records. */
  skewMs(memberId: string): number | undefined {
    return this.members.get(memberId)?.estimate;
  }

  /** Forgets members no longer listed (a member that comes back starts afresh). */
  retain(memberIds: ReadonlySet<string>): void {
    for (const id of this.members.keys()) if (!memberIds.has(id)) this.members.delete(id);
  }
}

function medianOf(samples: readonly number[]): number | undefined {
  if (samples.length < MIN_SAMPLES) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(median);
}
