import type { Config } from "../config/config.ts";
import { loadSecret } from "../http/secret.ts";
import { BACKFILL_HF, backfillHfHandler } from "../jobs/backfill-hf.ts";
import { createSourceClients, type SourceClients } from "../jobs/clients.ts";
import {
  digestHandler,
  digestSchedules,
  FETCH_IMAGES,
  fetchImagesHandler,
  fetchImagesSchedules,
  REBUILD_SEARCH,
  rebuildSearchHandler,
  rebuildSearchSchedules,
  SEND_DIGESTS,
  syncHandlers,
  syncSchedules,
} from "../jobs/handlers.ts";
import { runStartup } from "../jobs/startup.ts";
import { Worker } from "../jobs/worker.ts";
import type { Logger } from "../log.ts";
import { createMailer } from "../mail/index.ts";
import type { Mailer } from "../mail/mailer.ts";
import { systemClock } from "../net/clock.ts";
import type { Store } from "../store/store.ts";

export interface JobRunnerOptions {
  /** Enqueue the scheduled jobs (and, on start, the stale and first-run ones). */
  schedule: boolean;
  /** Source clients to share with the rest of the process (one arXiv rate limit); made here when absent. */
  clients?: SourceClients;
  /** The process's mailer (its owner closes it); one is made here, and closed by `close()`, when absent. */
  mailer?: Mailer;
}

/** The durable worker as `paperboy worker` and `paperboy serve` run it, with what it holds open. */
export interface JobRunner {
  worker: Worker;
  /** Enqueues what a start should run at once: stale sources, and the first run's backfill. */
  startup(): Promise<void>;
  /**
   * Runs jobs until `signal` aborts, then lets the current job stop (its transaction finishes) for up to
   * `drainMs`; a job still running after that gives its lease back so the next start takes it at once.
   */
  run(signal: AbortSignal, drainMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Builds the worker with every job kind's handler and, when asked, the configured schedules. */
export function createJobRunner(
  config: Config,
  store: Store,
  logger: Logger,
  options: JobRunnerOptions,
): JobRunner {
  const clients = options.clients ?? createSourceClients(config.sources, systemClock, logger);
  const mailer = options.mailer ?? createMailer(config, logger);
  const schedules = options.schedule
    ? [
        ...syncSchedules(config.worker, config.sources.categories),
        ...rebuildSearchSchedules(config.search),
        ...digestSchedules(),
        ...fetchImagesSchedules(config.images),
      ]
    : [];
  const syncBase = { store, clients, clock: systemClock };
  const worker = new Worker({
    store,
    handlers: {
      ...syncHandlers(syncBase),
      [BACKFILL_HF]: backfillHfHandler(syncBase),
      [REBUILD_SEARCH]: rebuildSearchHandler({
        store,
        database: config.db,
        dataDir: config.dataDir,
        search: config.search,
      }),
      [SEND_DIGESTS]: digestHandler({
        store,
        mailer,
        secret: loadSecret(config),
        baseUrl: config.web.baseUrl,
        outbound: { allowHosts: config.security.outboundAllowHosts },
      }),
      [FETCH_IMAGES]: fetchImagesHandler({
        store,
        images: config.images,
        clock: systemClock,
        timeoutMs: config.sources.httpTimeoutMs,
      }),
    },
    schedules,
    logger,
  });
  return {
    worker,
    async startup() {
      if (!options.schedule) return;
      const planned = await runStartup(store, {
        schedules,
        now: new Date(systemClock.now()),
        backfillDays: config.start.backfillDays,
        categories: config.sources.categories,
      });
      if (planned.length > 0) logger.info("enqueued on start", { jobs: planned.join(", ") });
    },
    run: (signal, drainMs) => worker.run(signal, drainMs),
    close: async () => {
      if (!options.mailer) await mailer.close();
    },
  };
}
