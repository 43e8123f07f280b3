import type { Clock } from "./clock.ts";

/**
 * Lets one call run at a time and starts each at least `intervalMs` after the previous one started, in the
 * order they arrived. arXiv asks for at most one request every three seconds on a single connection: every
 * arXiv client in a process shares one of these.
 */
export class IntervalLimiter {
  private tail: Promise<void> = Promise.resolve();
  private lastStart = Number.NEGATIVE_INFINITY;
  /** Start times of the calls run so far, on the limiter's clock (for tests and diagnostics). */
  readonly starts: number[] = [];

  constructor(
    readonly intervalMs: number,
    private readonly clock: Clock,
  ) {}

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(async () => {
      const wait = this.lastStart + this.intervalMs - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      this.lastStart = this.clock.now();
      this.starts.push(this.lastStart);
      return fn();
    });
    // The next call waits for this one to finish, whether it succeeded or not.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
