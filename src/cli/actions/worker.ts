import type { Command } from "commander";
import type { WorkerOptions } from "../commands/worker.ts";
import { contextFrom } from "../context.ts";
import { createJobRunner } from "../job-runner.ts";

export async function runWorker(opts: WorkerOptions, command: Command): Promise<void> {
  const ctx = contextFrom(command);
  const controller = new AbortController();
  await ctx.withStore(async (store) => {
    const runner = createJobRunner(ctx.config, store, ctx.logger, { schedule: opts.schedule });
    const stop = () => controller.abort(new Error("stopping"));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      await runner.startup();
      if (opts.once) {
        while (!controller.signal.aborted && (await runner.worker.runOnce(controller.signal))) {
          // keep going while jobs are due
        }
      } else {
        await runner.run(controller.signal, 5_000);
      }
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      await runner.close();
    }
  });
  // A job given up on at a stop may still wait on a request or a back-off timer: it must not hold the exit.
  if (controller.signal.aborted) setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref();
}
