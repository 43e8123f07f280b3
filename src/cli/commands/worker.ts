import type { Command } from "commander";

export interface WorkerOptions {
  once?: boolean;
  schedule: boolean;
}

export function registerWorker(program: Command): void {
  program
    .command("worker")
    .summary("run scheduled syncs and queued jobs until stopped (Ctrl-C or SIGTERM)")
    .description(
      "Runs the durable job queue: enqueues the scheduled syncs (PAPERBOY_SCHEDULE_HF, _ARXIV, _STARS; " +
        "the search engine rebuild check on PAPERBOY_SCHEDULE_SEARCH; due digests every 10 minutes; " +
        "categories from PAPERBOY_CATEGORIES), claims due jobs, retries failures with back-off and gives up " +
        "after a job's attempts into a failed state shown by `paperboy status`. On start it runs at once every " +
        "source last synced longer ago than its schedule's interval and, on a first run, fetches the latest " +
        "PAPERBOY_BACKFILL_DAYS Hugging Face daily lists. On SIGTERM the current job finishes its transaction " +
        "or goes back to the queue. `paperboy serve` runs a worker too unless --no-worker. Any number of " +
        "workers can share one PostgreSQL database; they split the jobs between them.",
    )
    .option("--once", "run the jobs that are due now, then exit")
    .option("--no-schedule", "only run queued jobs; do not enqueue scheduled ones")
    .action(async (opts: WorkerOptions, command: Command) =>
      (await import("../actions/worker.ts")).runWorker(opts, command),
    );
}
