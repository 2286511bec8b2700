/** A selector for each field of a store's state, for the fields a view reads as they are. */
export type FieldSelectors<S> = { [K in keyof S]-?: (state: S) => S[K] };

/** One selector per field of `initial` (a store's `initialState`, which names every field). */
export function fieldSelectors<S extends object>(initial: S): FieldSelectors<S> {
  return Object.fromEntries(
    Object.keys(initial).map((key) => [key, (state: S) => state[key as keyof S]]),
  ) as FieldSelectors<S>;
}
