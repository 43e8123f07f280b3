import { type Command, InvalidArgumentError, Option } from "commander";
import { parseIsoDate } from "../../core/index.ts";
import { refreshStars } from "../../jobs/refresh-stars.ts";
import { syncArxivCategory, syncArxivIds, syncArxivListing } from "../../jobs/sync-arxiv.ts";
import { syncHfDays } from "../../jobs/sync-hf.ts";
import { syncOai } from "../../jobs/sync-oai.ts";
import { contextFrom } from "../context.ts";
import { runSyncCommand } from "../sync-context.ts";

function date(flag: string) {
  return (value: string) => {
    try {
      return parseIsoDate(value);
    } catch {
      throw new InvalidArgumentError(`${flag} must be a date YYYY-MM-DD, got "${value}"`);
    }
  };
}

const today = () => new Date().toISOString().slice(0, 10);

export function registerSync(program: Command): void {
  const sync = program
    .command("sync")
    .summary("fetch papers from arXiv, Hugging Face and GitHub now, with progress")
    .description(
      "Fetch papers from the live sources now. The worker (paperboy worker) runs the same syncs on a " +
        "schedule. Every sync saves its progress with its records: interrupted, it continues where it stopped.",
    );

  sync
    .command("arxiv")
    .summary("papers by id, or a category's papers since a date (arXiv API)")
    .option("--ids <ids>", "comma-separated arXiv ids or URLs, e.g. 2405.15738,hep-th/9901001")
    .option("--category <cat>", "an arXiv category, e.g. cs.LG (with --since)")
    .option("--since <date>", "with --category: papers submitted on or after this date", date("--since"))
    .option("--json", "print the summary as JSON")
    .action(
      async (opts: { ids?: string; category?: string; since?: string; json?: boolean }, command: Command) => {
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
      },
    );

  sync
    .command("listing")
    .alias("rss")
    .summary("a category's latest daily arXiv listing (new, cross-lists, replacements)")
    .requiredOption("--category <cat>", "an arXiv category, e.g. cs.LG")
    .option("--json", "print the summary as JSON")
    .action(async (opts: { category: string; json?: boolean }, command: Command) => {
      await runSyncCommand(contextFrom(command), opts, (s) => syncArxivListing(s, opts.category));
    });

  sync
    .command("oai")
    .summary("harvest arXiv OAI-PMH records for a set (backfill and catch-up)")
    .option("--set <set>", "an OAI set, e.g. cs:cs:LG (default: everything)")
    .option(
      "--from <date>",
      "start a new harvest from this date (default: continue from the last run)",
      date("--from"),
    )
    .option("--until <date>", "with --from: stop at this date", date("--until"))
    .addOption(
      new Option("--format <prefix>", "metadata format").choices(["arXivRaw", "arXiv"]).default("arXivRaw"),
    )
    .option("--json", "print the summary as JSON")
    .action(
      async (
        opts: { set?: string; from?: string; until?: string; format: "arXiv" | "arXivRaw"; json?: boolean },
        command: Command,
      ) => {
        if (opts.until && !opts.from) command.error("--until needs --from", { exitCode: 2 });
        await runSyncCommand(contextFrom(command), opts, (s) =>
          syncOai(s, {
            set: opts.set ?? null,
            metadataPrefix: opts.format,
            ...(opts.from ? { from: opts.from } : {}),
            ...(opts.until ? { until: opts.until } : {}),
          }),
        );
      },
    );

  sync
    .command("hf")
    .summary("Hugging Face daily papers for a day or a range of days")
    .option("--date <date>", "one day (default: today, UTC)", date("--date"))
    .option("--from <date>", "first day of a range", date("--from"))
    .option("--to <date>", "last day of a range (default: today)", date("--to"))
    .option("--json", "print the summary as JSON")
    .action(async (opts: { date?: string; from?: string; to?: string; json?: boolean }, command: Command) => {
      if (opts.date && (opts.from || opts.to))
        command.error("give --date or --from/--to, not both", { exitCode: 2 });
      const from = opts.date ?? opts.from ?? today();
      const to = opts.date ?? opts.to ?? today();
      await runSyncCommand(contextFrom(command), opts, (s) => syncHfDays(s, { from, to }));
    });

  sync
    .command("stars")
    .summary("refresh GitHub star counts of papers with a code repository")
    .option("--json", "print the summary as JSON")
    .action(async (opts: { json?: boolean }, command: Command) => {
      await runSyncCommand(contextFrom(command), opts, (s) => refreshStars(s));
    });
}
