import type { Command } from "commander";

export interface StatusOptions {
  json?: boolean;
  check?: boolean;
}

export function registerStatus(program: Command): void {
  program
    .command("status")
    .summary("freshness of every source (last sync, newest item, lag, last error) and the job queue")
    .option("--json", "print as JSON")
    .option(
      "--check",
      "exit with 4 when a source is flagged (failing for longer than PAPERBOY_FLAG_FAILING_AFTER)",
    )
    .action(async (opts: StatusOptions, command: Command) =>
      (await import("../actions/status.ts")).runStatus(opts, command),
    );
}
