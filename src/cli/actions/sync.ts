import type { Command } from "commander";
import { refreshStars } from "../../jobs/refresh-stars.ts";
import { syncArxivCategory, syncArxivIds, syncArxivListing } from "../../jobs/sync-arxiv.ts";
import { syncArxivCategories } from "../../jobs/sync-arxiv-categories.ts";
import { syncHfDays } from "../../jobs/sync-hf.ts";
import { syncOai } from "../../jobs/sync-oai.ts";
import type {
  SyncArxivOptions,
  SyncHfOptions,
  SyncListingOptions,
  SyncOaiOptions,
} from "../commands/sync.ts";
import { contextFrom } from "../context.ts";
import { runSyncCommand } from "../sync-context.ts";

const today = () => new Date().toISOString().slice(0, 10);

export async function runSyncArxiv(opts: SyncArxivOptions, command: Command): Promise<void> {
  if (!opts.ids === !opts.category)
    command.error("give either --ids or --category with --since", { exitCode: 2 });
  if (opts.category && !opts.since) command.error("--category needs --since DATE", { exitCode: 2 });
  const ctx = contextFrom(command);
  await runSyncCommand(ctx, opts, (s) =>
    opts.ids
      ? syncArxivIds(
          s,
          opts.ids
            .split(",")
            .map((id) => id.trim())
            .filter(Boolean),
        )
      : syncArxivCategory(s, {
          category: opts.category ?? "",
          since: new Date(`${opts.since}T00:00:00Z`),
        }),
  );
}

export async function runSyncArxivCategories(opts: { json?: boolean }, command: Command): Promise<void> {
  await runSyncCommand(contextFrom(command), opts, (s) => syncArxivCategories(s));
}

export async function runSyncListing(opts: SyncListingOptions, command: Command): Promise<void> {
  await runSyncCommand(contextFrom(command), opts, (s) => syncArxivListing(s, opts.category));
}

export async function runSyncOai(opts: SyncOaiOptions, command: Command): Promise<void> {
  if (opts.until && !opts.from) command.error("--until needs --from", { exitCode: 2 });
  await runSyncCommand(contextFrom(command), opts, (s) =>
    syncOai(s, {
      set: opts.set ?? null,
      metadataPrefix: opts.format,
      ...(opts.from ? { from: opts.from } : {}),
      ...(opts.until ? { until: opts.until } : {}),
    }),
  );
}

export async function runSyncHf(opts: SyncHfOptions, command: Command): Promise<void> {
  if (opts.date && (opts.from || opts.to))
    command.error("give --date or --from/--to, not both", { exitCode: 2 });
  const from = opts.date ?? opts.from ?? today();
  const to = opts.date ?? opts.to ?? today();
  await runSyncCommand(contextFrom(command), opts, (s) => syncHfDays(s, { from, to }));
}

export async function runSyncStars(opts: { json?: boolean }, command: Command): Promise<void> {
  await runSyncCommand(contextFrom(command), opts, (s) => refreshStars(s));
}
