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

  /** Enqueues due scheduled jobs, then claims and runs one job. Returns it, or null when none was due. */
  async runOnce(shutdown?: AbortSignal): Promise<Job | null> {
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
    const onShutdown = () => controller.abort(new Error("the worker is shutting down"));
    shutdown?.addEventListener("abort", onShutdown, { once: true });
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
    try {
      await handler(job, { signal: controller.signal, logger: this.logger });
      await store.finishJob(job.id, this.workerId, { ok: true }, this.now());
      this.logger.info("job succeeded", { job: job.id, kind: job.kind, ms: this.clock.now() - started });
    } catch (error) {
      const message = describeError(error);
      const retry = job.attempts < job.maxAttempts && !controller.signal.aborted;
      const retryAt = retry
        ? toTimestamp(
            new Date(
              this.clock.now() + retryDelayMs(job.attempts, this.options.backoff ?? DEFAULT_JOB_BACKOFF),
            ),
          )
        : null;
      if (controller.signal.aborted) {
        // Lost the lease or shutting down: leave the job to whoever holds it, or to the lease's expiry.
        this.logger.warn("job interrupted", { job: job.id, kind: job.kind, reason: message });
      } else {
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
      shutdown?.removeEventListener("abort", onShutdown);
    }
    return job;
  }

  /** Runs jobs until `signal` is aborted, sleeping `pollMs` whenever nothing is due. */
  async run(signal: AbortSignal): Promise<void> {
    this.logger.info("worker started", { worker: this.workerId });
    while (!signal.aborted) {
      let ran: Job | null = null;
      try {
        ran = await this.runOnce(signal);
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
