import type { Command } from "commander";
import { describeDatabase } from "../../config/config.ts";
import { openAppDeps } from "../../http/deps.ts";
import { startServer } from "../../http/server.ts";
import { createSourceClients } from "../../jobs/clients.ts";
import { systemClock } from "../../net/clock.ts";
import type { ServeOptions } from "../commands/serve.ts";
import { contextFrom } from "../context.ts";
import { createJobRunner, type JobRunner } from "../job-runner.ts";

/**
 * How long a stop waits for requests in flight, and for the current job to reach the end of a transaction
 * (syncs stop between pages; a job still busy is given back to the queue): well inside a 10 s grace period.
 */
const DRAIN_MS = 8_000;
const JOB_DRAIN_MS = 5_000;

export async function runServe(opts: ServeOptions, command: Command): Promise<void> {
  const ctx = contextFrom(command);
  const port = opts.port ?? ctx.config.web.port;
  // Without PAPERBOY_BASE_URL, links point at this server, so they follow --port.
  const baseUrl = process.env.PAPERBOY_BASE_URL ? ctx.config.web.baseUrl : `http://localhost:${port}`;
  const config = {
    ...ctx.config,
    web: { ...ctx.config.web, port, host: opts.host ?? ctx.config.web.host, baseUrl },
  };
  const withWorker = opts.worker && config.start.workerInServe;
  // One set of clients for the site's submissions and the worker's syncs: one arXiv rate limit per process.
  const clients = createSourceClients(config.sources, systemClock, ctx.logger);
  const opened = await openAppDeps(config, ctx.logger, { clients });
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(opened.deps, {
      port: config.web.port,
      host: config.web.host,
      drainMs: DRAIN_MS,
    });
  } catch (error) {
    await opened.close();
    throw error;
  }
  ctx.logger.info(`serving ${describeDatabase(config.db)} at ${server.url}`, {
    baseUrl: config.web.baseUrl,
    worker: withWorker ? "on" : "off",
  });

  const stopping = new AbortController();
  let runner: JobRunner | null = null;
  let working: Promise<void> = Promise.resolve();
  if (withWorker) {
    runner = createJobRunner(config, opened.deps.store, ctx.logger, {
      schedule: true,
      clients,
      mailer: opened.deps.mailer,
    });
    const started = runner;
    working = (async () => {
      try {
        await started.startup();
      } catch (error) {
        ctx.logger.error("could not enqueue the jobs due on start", { error: (error as Error).message });
      }
      await started.run(stopping.signal, JOB_DRAIN_MS);
    })();
  }

  const signal = await new Promise<string>((resolve) => {
    const onInt = () => stop("SIGINT");
    const onTerm = () => stop("SIGTERM");
    const stop = (name: string) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(name);
    };
    process.once("SIGINT", onInt);
    process.once("SIGTERM", onTerm);
  });
  ctx.logger.info("stopping", { signal });
  stopping.abort(new Error(`stopping on ${signal}`));
  // Stop taking connections and finish the requests in flight, while the worker lets its job stop.
  await Promise.all([server.close(), working]);
  await runner?.close();
  await opened.close();
  ctx.logger.info("stopped");
  // A job given up on may still wait on a request or a back-off timer: it must not hold the exit up.
  setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref();
}
