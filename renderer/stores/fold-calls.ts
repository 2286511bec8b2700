/** A fetch that runs one at a time; see `foldCalls`. */
export interface FoldedFetch<A extends unknown[]> {
  (...args: A): Promise<void>;
  /** Drops the extra run asked for meanwhile, for a store being reset. */
  forgetAgain(): void;
}

/**
 * Runs `fetch` one at a time: calls made while one is under way fold into one more run after it, and get the
 * promise of the whole sequence. That extra run uses the arguments of the call that started the sequence.
 */
export function foldCalls<A extends unknown[]>(fetch: (...args: A) => Promise<void>): FoldedFetch<A> {
  let inFlight: Promise<void> | null = null;
  let again = false;
  const run = (...args: A): Promise<void> => {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        again = false;
        await fetch(...args);
      } while (again);
    })().finally(() => (inFlight = null));
    return inFlight;
  };
  return Object.assign(run, {
    forgetAgain: () => {
      again = false;
    },
  });
}
