import type { Command } from "commander";

export interface EmbedOptions {
  rebuild?: boolean;
  json?: boolean;
}

export function registerEmbed(program: Command): void {
  program
    .command("embed")
    .summary("show the search engine's state, or rebuild it (--rebuild)")
    .description(
      `Without options: when the search engine (keyword index and paper vectors, in <PAPERBOY_DATA_DIR>/search) was built, from how many papers, with which embedder (PAPERBOY_EMBEDDER), and whether the worker would rebuild it now (the library grew by PAPERBOY_SEARCH_REBUILD_GROWTH, or there is none for this store). With --rebuild: builds it now from every paper in the store, with progress; searches by running servers pick the new build up within seconds, without a restart.`,
    )
    .option("--rebuild", "build the search engine now")
    .option("--json", "print as JSON")
    .action(async (opts: EmbedOptions, command: Command) =>
      (await import("../actions/embed.ts")).runEmbed(opts, command),
    );
}
