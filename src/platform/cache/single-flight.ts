/**
 * Coalesces concurrent calls for one key in this process: the first caller runs the work, the
 * others await the same promise (`shared: true`). Nothing is kept once the work settles.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  async run(key: string, work: () => Promise<T>): Promise<{ value: T; shared: boolean }> {
    const pending = this.inFlight.get(key);
    if (pending) return { value: await pending, shared: true };
    const started = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return { value: await started, shared: false };
  }

  get size(): number {
    return this.inFlight.size;
  }
}
