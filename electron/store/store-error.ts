/** A database that cannot be used as it is. Raised before anything is written, so the file is left untouched. */
export class StoreError extends Error {
  override name = 'StoreError';
}
