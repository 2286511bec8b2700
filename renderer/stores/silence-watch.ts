/** Gaps remembered to learn the agent's sampling interval. */
const REMEMBERED_GAPS = 10;

/**
 * Notices an agent that stopped talking while its event stream stays open (a frozen process, a network that drops
 * packets without closing the connection): it pushes `node.status` on every resource sample, so several of its
 * usual intervals without one, and at least `minSilenceMs`, mean it is not answering. Times are monotonic.
 */
export function createSilenceWatch({ minSilenceMs = 10_000, intervals = 3 } = {}) {
  let lastAt: number | null = null;
  let gaps: number[] = [];
  return {
    heard(at: number) {
      if (lastAt !== null) gaps = [...gaps, at - lastAt].slice(-REMEMBERED_GAPS);
      lastAt = at;
    },
    /** A new stream: its interval is learnt afresh. */
    reset() {
      lastAt = null;
      gaps = [];
    },
    /** Whether the agent has been silent too long at `at`; never before its interval is known. */
    silentAt(at: number): boolean {
      if (lastAt === null || gaps.length === 0) return false;
      const typical = [...gaps].sort((a, b) => a - b)[Math.floor((gaps.length - 1) / 2)]!;
      return at - lastAt > Math.max(minSilenceMs, typical * intervals);
    },
  };
}
