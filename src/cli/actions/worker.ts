import type { Command } from "commander";
import { loadSecret } from "../../http/secret.ts";
import { createSourceClients } from "../../jobs/clients.ts";
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
} from "../../jobs/handlers.ts";
import { Worker } from "../../jobs/worker.ts";
import { createMailer } from "../../mail/index.ts";
import { systemClock } from "../../net/clock.ts";
import type { WorkerOptions } from "../commands/worker.ts";
import { contextFrom } from "../context.ts";

export async function runWorker(opts: WorkerOptions, command: Command): Promise<void> {
  const ctx = contextFrom(command);
  await ctx.withStore(async (store) => {
    const clients = createSourceClients(ctx.config.sources, systemClock, ctx.logger);
    const mailer = createMailer(ctx.config, ctx.logger);
    const worker = new Worker({
      store,
      handlers: {
        ...syncHandlers({ store, clients, clock: systemClock }),
        [REBUILD_SEARCH]: rebuildSearchHandler({
          store,
          database: ctx.config.db,
          dataDir: ctx.config.dataDir,
          search: ctx.config.search,
        }),
        [SEND_DIGESTS]: digestHandler({
          store,
          mailer,
          secret: loadSecret(ctx.config),
          baseUrl: ctx.config.web.baseUrl,
          outbound: { allowHosts: ctx.config.security.outboundAllowHosts },
        }),
        [FETCH_IMAGES]: fetchImagesHandler({
          store,
          images: ctx.config.images,
          clock: systemClock,
          timeoutMs: ctx.config.sources.httpTimeoutMs,
        }),
      },
      schedules: opts.schedule
        ? [
            ...syncSchedules(ctx.config.worker, ctx.config.sources.categories),
            ...rebuildSearchSchedules(ctx.config.search),
            ...digestSchedules(),
            ...fetchImagesSchedules(ctx.config.images),
          ]
        : [],
      logger: ctx.logger,
    });
    const controller = new AbortController();
    const stop = () => controller.abort(new Error("stopping"));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      if (opts.once) {
        while (!controller.signal.aborted && (await worker.runOnce(controller.signal))) {
          // keep going while jobs are due
        }
      } else {
        await worker.run(controller.signal);
      }
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      await mailer.close();
    }
  });
}
