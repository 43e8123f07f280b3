import cliProgress from "cli-progress";
import { formatBytes, formatCount, formatDuration } from "./format.ts";

export interface ProgressUpdate {
  /** Work done and total, in any unit (bytes here). */
  done: number;
  total: number;
  /** Items processed so far (records), for the rate. */
  items: number;
  label: string;
}

export interface ProgressReporter {
  update(update: ProgressUpdate): void;
  stop(): void;
}

/**
 * A progress bar with rate and ETA on a terminal; elsewhere (CI, pipes, logs) a quiet line at most every
 * `intervalMs`, so logs stay readable.
 */
export function createProgress(
  stream: NodeJS.WriteStream,
  options: { intervalMs?: number } = {},
): ProgressReporter {
  const started = Date.now();
  const rate = (items: number) => items / Math.max((Date.now() - started) / 1000, 0.001);
  const eta = (u: ProgressUpdate) => {
    const fraction = u.total > 0 ? u.done / u.total : 0;
    const elapsed = (Date.now() - started) / 1000;
    return fraction > 0 ? (elapsed * (1 - fraction)) / fraction : Number.NaN;
  };

  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: "{label} [{bar}] {percentage}% | {items} records | {rate}/s | ETA {etaText}",
        barsize: 24,
        hideCursor: true,
        clearOnComplete: false,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    let started_ = false;
    return {
      update(u) {
        const payload = {
          label: u.label,
          items: formatCount(u.items),
          rate: formatCount(Math.round(rate(u.items))),
          etaText: formatDuration(eta(u)),
        };
        if (!started_) {
          bar.start(Math.max(u.total, 1), u.done, payload);
          started_ = true;
        } else {
          bar.setTotal(Math.max(u.total, 1));
          bar.update(u.done, payload);
        }
      },
      stop() {
        if (started_) bar.stop();
      },
    };
  }

  const interval = options.intervalMs ?? 10_000;
  let last = Date.now();
  return {
    update(u) {
      const now = Date.now();
      if (now - last < interval) return;
      last = now;
      const pct = u.total > 0 ? ((100 * u.done) / u.total).toFixed(0) : "?";
      stream.write(
        `${u.label}: ${pct}% of ${formatBytes(u.total)}, ${formatCount(u.items)} records, ` +
          `${formatCount(Math.round(rate(u.items)))}/s, ETA ${formatDuration(eta(u))}\n`,
      );
    },
    stop() {},
  };
}
