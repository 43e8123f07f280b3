import type { Command } from "commander";

export function registerStats(program: Command): void {
  program
    .command("stats")
    .summary("counts of papers and daily entries, per source, and the newest dates")
    .option("--json", "print as JSON")
    .action(async (opts: { json?: boolean }, command: Command) =>
      (await import("../actions/stats.ts")).runStats(opts, command),
    );
}
