import type { Command } from "commander";

export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .summary("bring the database schema up to date (other commands do this on start too)")
    .action(async (_opts: unknown, command: Command) =>
      (await import("../actions/migrate.ts")).runMigrate(command),
    );
}
