import type { Command } from "commander";
import { describeDatabase } from "../../config/config.ts";
import { contextFrom } from "../context.ts";

export async function runMigrate(command: Command): Promise<void> {
  const ctx = contextFrom(command);
  const applied = await ctx.withStore((store) => store.migrate(), { migrate: false });
  const where = describeDatabase(ctx.config.db);
  ctx.stdout.write(
    applied.length === 0
      ? `${where}: schema already up to date.\n`
      : `${where}: applied ${applied.join(", ")}.\n`,
  );
}
