/**
 * Runs the steps `size` at a time (each batch concurrently), so a pass over many records costs a few round trips,
 * not one per record. A step's failure goes to `onError`; returning false from it stops before the next batch.
 */
export async function runInBatches(
  steps: ReadonlyArray<() => Promise<unknown>>,
  size: number,
  onError: (error: unknown) => boolean,
): Promise<void> {
  for (let index = 0; index < steps.length; index += size) {
    const outcomes = await Promise.allSettled(steps.slice(index, index + size).map((step) => step()));
    let goOn = true;
    for (const outcome of outcomes) if (outcome.status === 'rejected') goOn = onError(outcome.reason) && goOn;
    if (!goOn) return;
  }
}
