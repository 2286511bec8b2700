/**
 * Runs an async pass one at a time: a trigger while one runs asks for exactly one more after it, so a burst of
 * changes costs two passes, not one per change, and every change is seen by a pass that starts after it.
 */
export class SerialRunner {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop();
  }

  /** No pass starts from now on (one running finishes). */
  stop(): void {
    this.stopped = true;
    this.again = false;
  }

  /** Settles once no pass is running or due. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.pass();
      } catch (error) {
        this.onError(error);
      }
    } while (this.again);
    // In the same turn as the last check: a trigger from here on starts a new loop.
    this.running = null;
  }
}
