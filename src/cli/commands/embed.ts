import type { Command } from "commander";

export interface EmbedOptions {
  rebuild?: boolean;
  status?: boolean;
  json?: boolean;
}

export function registerEmbed(program: Command): void {
  program
    .command("embed")
    .summary("bring the search engine up to date with new papers, or rebuild it (--rebuild)")
    .description(
      `Without options: when a search engine exists, papers stored since its build (new, changed, hidden) are indexed into its delta segment with the build's embedder (seconds for a day's papers; servers pick it up within seconds), then its state is shown: when the search engine (keyword index and paper vectors, in <PAPERBOY_DATA_DIR>/search) was built, from how many papers, with which embedder (PAPERBOY_EMBEDDER), and whether the worker would rebuild it now (the library grew by PAPERBOY_SEARCH_REBUILD_GROWTH, or there is none for this store). With --rebuild: builds it now from every paper in the store, with progress; searches by running servers pick the new build up within seconds, without a restart.`,
    )
    .option("--rebuild", "build the search engine now")
    .option("--status", "only show the state; index nothing")
    .option("--json", "print as JSON")
    .action(async (opts: EmbedOptions, command: Command) =>
      (await import("../actions/embed.ts")).runEmbed(opts, command),
    );
}
