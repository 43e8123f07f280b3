import { type Command, InvalidArgumentError } from "commander";

export interface ServeOptions {
  port?: number;
  host?: string;
  /** False with --no-worker. */
  worker: boolean;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new InvalidArgumentError("must be a number from 0 to 65535");
  return n;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .summary("run the web site and JSON API until stopped (Ctrl-C or SIGTERM)")
    .description(
      "Serves the pages, the JSON API and the feeds from the store (PAPERBOY_DB). Listens on PAPERBOY_HOST:" +
        "PAPERBOY_PORT (default 127.0.0.1:3000); --host and --port override them. Links in mail and feeds use " +
        "PAPERBOY_BASE_URL. On SIGINT or SIGTERM it stops taking connections, finishes the requests in flight and " +
        "closes the store. It also runs the worker (see `paperboy worker --help`): on start it enqueues every " +
        "source last synced longer ago than its schedule's interval and, on a first run, fetches the latest " +
        "PAPERBOY_BACKFILL_DAYS (14) Hugging Face daily lists, the arXiv listings of PAPERBOY_CATEGORIES and " +
        "builds the search engine. Web replicas beside a separate `paperboy worker` use --no-worker or " +
        "PAPERBOY_WORKER=off.",
    )
    .option("-p, --port <port>", "port to listen on (0: any free port)", port)
    .option("--host <host>", "address to listen on, e.g. 0.0.0.0 for every interface")
    .option("--no-worker", "serve only; leave the jobs to a `paperboy worker` (also PAPERBOY_WORKER=off)")
    .action(async (opts: ServeOptions, command: Command) =>
      (await import("../actions/serve.ts")).runServe(opts, command),
    );
}
