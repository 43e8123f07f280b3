import type { Command } from "commander";

export interface ExportOptions {
  output?: string;
  papersOnly?: boolean;
}

export function registerExport(program: Command): void {
  program
    .command("export")
    .summary("write every paper (and daily entry) as JSON lines that `paperboy import` reads back")
    .option("-o, --output <file>", "write to a file instead of stdout (.gz compresses)")
    .option("--papers-only", "leave out the daily entries")
    .action(async (opts: ExportOptions, command: Command) =>
      (await import("../actions/export.ts")).runExport(opts, command),
    );
}
