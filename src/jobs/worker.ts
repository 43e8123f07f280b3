import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import {
  type BackoffParams,
  DEFAULT_JOB_BACKOFF,
  describeError,
  type Job,
  retryDelayMs,
  toTimestamp,
} from "../core/index.ts";
import { type Logger, silentLogger } from "../log.ts";
import { type Clock, systemClock } from "../net/clock.ts";
import type { Store } from "../store/store.ts";
import { enqueueDueJobs, type Schedule } from "./schedule.ts";

export interface JobContext {
  /** Aborted when the worker loses the job's lease (another worker took it over) or shuts down. */
  signal: AbortSignal;
  logger: Logger;
}

export type JobHandler = (job: Job, ctx: JobContext) => Promise<void>;

export interface WorkerOptions {
  store: Store;
  handlers: Readonly<Record<string, JobHandler>>;
  schedules?: readonly Schedule[];
  /** Names this worker in job leases; unique per process by default. */
  workerId?: string;
  /** How long a claim holds; renewed every third of it while the job runs. */
  leaseMs?: number;
  /** How long to wait before looking again when no job is due. */
  pollMs?: number;
  backoff?: BackoffParams;
  clock?: Clock;
  logger?: Logger;
}

/**
 * Runs durable jobs from the store: enqueues scheduled syncs when their time comes, claims one due job at a
 * time, keeps its lease alive while it runs, and records the outcome (retry with exponential back-off, or
 * failed for good after `maxAttempts`). Any number of workers may run against one PostgreSQL database.
 */
export class Worker {
  readonly workerId: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly enqueuedSlots = new Map<string, string>();

  constructor(private readonly options: WorkerOptions) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 2_000;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
  }

  private now() {
    return toTimestamp(new Date(this.clock.now()));
  }

  /**
   * Enqueues due scheduled jobs, then claims and runs one job. Returns it, or null when none was due. When
   * `shutdown` aborts, the job is told to stop (syncs stop between their transactions); one that has not
   * stopped `drainMs` later, or that stopped because of the shutdown, is given back to the queue unfinished.
   */
  async runOnce(shutdown?: AbortSignal, drainMs = 8_000): Promise<Job | null> {
    const { store } = this.options;
    if (this.options.schedules?.length) {
      await enqueueDueJobs(store, this.options.schedules, new Date(this.clock.now()), this.enqueuedSlots);
    }
    const kinds = Object.keys(this.options.handlers);
    const job = await store.claimJob(this.workerId, { leaseMs: this.leaseMs, kinds, now: this.now() });
    if (!job) return null;
    const handler = this.options.handlers[job.kind];
    if (!handler) {
      const error = `no handler for jobs of kind "${job.kind}"`;
      await store.finishJob(job.id, this.workerId, { ok: false, error, retryAt: null }, this.now());
      return job;
    }

    const controller = new AbortController();
    let drainTimer: NodeJS.Timeout | undefined;
    let stopDraining = () => {};
    const drained = new Promise<"drained">((resolve) => {
      stopDraining = () => resolve("drained");
    });
    const onShutdown = () => {
      controller.abort(new Error("the worker is shutting down"));
      drainTimer = setTimeout(stopDraining, drainMs);
    };
    if (shutdown?.aborted) onShutdown();
    else shutdown?.addEventListener("abort", onShutdown, { once: true });
    const heartbeat = setInterval(
      () => {
        store.renewJobLease(job.id, this.workerId, this.leaseMs, this.now()).then(
          (held) => {
            if (!held) controller.abort(new Error("lost the job's lease to another worker"));
          },
          (error: unknown) =>
            this.logger.warn("could not renew a job lease", { job: job.id, error: describeError(error) }),
        );
      },
      Math.max(1_000, Math.floor(this.leaseMs / 3)),
    );

    const started = this.clock.now();
    this.logger.info("job started", { job: job.id, kind: job.kind, attempt: job.attempts });
    const running = handler(job, { signal: controller.signal, logger: this.logger }).then(
      () => ({ ok: true as const }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    try {
      const result = await Promise.race([running, drained]);
      const stopping = shutdown?.aborted === true;
      if (result === "drained" || (stopping && !result.ok)) {
        // Shutting down: the job did not finish. Give it back, due at once, for the next start.
        const released = await store.releaseJob(job.id, this.workerId, this.now());
        this.logger.warn("job left for the next start", {
          job: job.id,
          kind: job.kind,
          released: released ? "yes" : "no",
        });
      } else if (result.ok) {
        await store.finishJob(job.id, this.workerId, { ok: true }, this.now());
        this.logger.info("job succeeded", { job: job.id, kind: job.kind, ms: this.clock.now() - started });
      } else if (controller.signal.aborted) {
        // Lost the lease: leave the job to whoever holds it, or to the lease's expiry.
        this.logger.warn("job interrupted", {
          job: job.id,
          kind: job.kind,
          reason: describeError(result.error),
        });
      } else {
        const message = describeError(result.error);
        const retryAt =
          job.attempts < job.maxAttempts
            ? toTimestamp(
                new Date(
                  this.clock.now() + retryDelayMs(job.attempts, this.options.backoff ?? DEFAULT_JOB_BACKOFF),
                ),
              )
            : null;
        await store.finishJob(job.id, this.workerId, { ok: false, error: message, retryAt }, this.now());
        this.logger.warn(retryAt ? "job failed, will retry" : "job failed for good", {
          job: job.id,
          kind: job.kind,
          attempt: job.attempts,
          error: message,
          retryAt: retryAt ?? undefined,
        });
      }
    } finally {
      clearInterval(heartbeat);
      clearTimeout(drainTimer);
      shutdown?.removeEventListener("abort", onShutdown);
    }
    return job;
  }

  /**
   * Runs jobs until `signal` is aborted, sleeping `pollMs` whenever nothing is due. On abort the current job
   * gets `drainMs` to stop (see `runOnce`).
   */
  async run(signal: AbortSignal, drainMs?: number): Promise<void> {
    this.logger.info("worker started", { worker: this.workerId });
    while (!signal.aborted) {
      let ran: Job | null = null;
      try {
        ran = await this.runOnce(signal, drainMs);
      } catch (error) {
        this.logger.error("worker loop error", { error: describeError(error) });
      }
      if (!ran && !signal.aborted) await sleepUnlessAborted(this.clock, this.pollMs, signal);
    }
    this.logger.info("worker stopped", { worker: this.workerId });
  }
}

async function sleepUnlessAborted(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (clock !== systemClock) return clock.sleep(ms);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
