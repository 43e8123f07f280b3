import { type Command, InvalidArgumentError, Option } from "commander";
import { parseIsoDate } from "../../core/index.ts";

function date(flag: string) {
  return (value: string) => {
    try {
      return parseIsoDate(value);
    } catch {
      throw new InvalidArgumentError(`${flag} must be a date YYYY-MM-DD, got "${value}"`);
    }
  };
}

export interface SyncArxivOptions {
  ids?: string;
  category?: string;
  since?: string;
  json?: boolean;
}

export interface SyncListingOptions {
  category: string;
  json?: boolean;
}

export interface SyncOaiOptions {
  set?: string;
  from?: string;
  until?: string;
  format: "arXiv" | "arXivRaw";
  json?: boolean;
}

export interface SyncHfOptions {
  date?: string;
  from?: string;
  to?: string;
  json?: boolean;
}

export function registerSync(program: Command): void {
  const sync = program
    .command("sync")
    .summary("fetch papers from arXiv, Hugging Face and GitHub now, with progress")
    .description(
      "Fetch papers from the live sources now. The worker (paperboy worker) runs the same syncs on a " +
        "schedule. Every sync saves its progress with its records: interrupted, it continues where it stopped.",
    );
  const actions = () => import("../actions/sync.ts");

  sync
    .command("arxiv")
    .summary("papers by id, or a category's papers since a date (arXiv API)")
    .option("--ids <ids>", "comma-separated arXiv ids or URLs, e.g. 2405.15738,hep-th/9901001")
    .option("--category <cat>", "an arXiv category, e.g. cs.LG (with --since)")
    .option("--since <date>", "with --category: papers submitted on or after this date", date("--since"))
    .option("--json", "print the summary as JSON")
    .action(async (opts: SyncArxivOptions, command: Command) =>
      (await actions()).runSyncArxiv(opts, command),
    );

  sync
    .command("arxiv-categories")
    .summary("give papers without arXiv categories (Hugging Face's) theirs, from the arXiv API")
    .description(
      "Look up every paper that has no arXiv category (papers only Hugging Face listed) in the arXiv API, " +
        "100 ids per request, one request every 3 seconds, so that category pages, filters and digests " +
        "include them. Interrupted, it continues after the last batch stored.",
    )
    .option("--json", "print the summary as JSON")
    .action(async (opts: { json?: boolean }, command: Command) =>
      (await actions()).runSyncArxivCategories(opts, command),
    );

  sync
    .command("listing")
    .alias("rss")
    .summary("a category's latest daily arXiv listing (new, cross-lists, replacements)")
    .requiredOption("--category <cat>", "an arXiv category, e.g. cs.LG")
    .option("--json", "print the summary as JSON")
    .action(async (opts: SyncListingOptions, command: Command) =>
      (await actions()).runSyncListing(opts, command),
    );

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
    .action(async (opts: SyncOaiOptions, command: Command) => (await actions()).runSyncOai(opts, command));

  sync
    .command("hf")
    .summary("Hugging Face daily papers for a day or a range of days")
    .option("--date <date>", "one day (default: today, UTC)", date("--date"))
    .option("--from <date>", "first day of a range", date("--from"))
    .option("--to <date>", "last day of a range (default: today)", date("--to"))
    .option("--json", "print the summary as JSON")
    .action(async (opts: SyncHfOptions, command: Command) => (await actions()).runSyncHf(opts, command));

  sync
    .command("stars")
    .summary("refresh GitHub star counts of papers with a code repository")
    .option("--json", "print the summary as JSON")
    .action(async (opts: { json?: boolean }, command: Command) =>
      (await actions()).runSyncStars(opts, command),
    );
}
