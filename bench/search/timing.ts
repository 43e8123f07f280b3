/** Latency summaries shared by the search benchmarks. */

/** The p-th percentile of ascending `sorted` (nearest rank, as every table in README.md reports). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Prints `label` with the p50, p95 and p99 of `times` (milliseconds, any order). */
export function printPercentiles(label: string, times: number[], width: number): void {
  times.sort((a, b) => a - b);
  const f = (p: number) => percentile(times, p).toFixed(2);
  console.log(`${label.padEnd(width)} p50 ${f(50)} ms  p95 ${f(95)} ms  p99 ${f(99)} ms`);
}

/** Runs `run` on every item, one at a time after ten warm-up calls, and prints the percentiles of its times. */
export async function timeEach<T>(
  label: string,
  items: readonly T[],
  run: (item: T) => unknown,
  width = 36,
): Promise<void> {
  for (const item of items.slice(0, 10)) await run(item);
  const times: number[] = [];
  for (const item of items) {
    const started = performance.now();
    await run(item);
    times.push(performance.now() - started);
  }
  printPercentiles(label, times, width);
}
