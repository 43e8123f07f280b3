/** Time as the sources see it; tests pass a fake one so that waits take no real time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * A clock that only moves when someone sleeps on it: `sleep(ms)` advances it by `ms` at once. Lets tests check
 * spacing and back-off delays exactly, with no real waiting.
 */
export class ManualClock implements Clock {
  private time: number;
  readonly sleeps: number[] = [];

  constructor(start = Date.parse("2026-01-01T00:00:00Z")) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    const d = Math.max(0, ms);
    this.sleeps.push(d);
    this.time += d;
    await Promise.resolve();
  }

  advance(ms: number): void {
    this.time += ms;
  }
}
