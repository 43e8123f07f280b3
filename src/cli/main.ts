import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { describeError, isPaperboyError } from "../core/errors.ts";
import { LOG_LEVELS } from "../log.ts";
import { registerBench } from "./commands/bench.ts";
import { registerDigest } from "./commands/digest.ts";
import { registerEmbed } from "./commands/embed.ts";
import { registerExport } from "./commands/export.ts";
import { registerImport } from "./commands/import.ts";
import { registerLibrary } from "./commands/library.ts";
import { registerMigrate } from "./commands/migrate.ts";
import { registerSearch } from "./commands/search.ts";
import { registerServe } from "./commands/serve.ts";
import { registerSimilar } from "./commands/similar.ts";
import { registerStats } from "./commands/stats.ts";
import { registerStatus } from "./commands/status.ts";
import { registerSubscribers } from "./commands/subscribers.ts";
import { registerSync } from "./commands/sync.ts";
import { registerUsers } from "./commands/users.ts";
import { registerWorker } from "./commands/worker.ts";
import { EXIT, EXIT_CODES_HELP } from "./exit-codes.ts";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/**
 * Declares every command (its arguments, options and help, from `commands/`), so `--help` and a mistyped
 * command's suggestion see them all. A command's action lives in `actions/` and is loaded with `import()` only
 * when that command runs, so help loads neither the store nor the search engine nor the web app, and a command
 * loads only what it uses.
 */
export function buildProgram(): Command {
  const program = new Command("paperboy")
    .description("Paperboy: follow new research papers. Import, sync, search and serve them.")
    .version(version(), "-V, --version")
    .option("--db <path-or-url>", "the store: a SQLite file path or a postgres:// URL (env PAPERBOY_DB)")
    .addOption(
      new Option("--log-level <level>", "how much to log (env PAPERBOY_LOG_LEVEL)").choices(LOG_LEVELS),
    )
    .option("-q, --quiet", "log warnings and errors only")
    .showSuggestionAfterError(true)
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", `\n${EXIT_CODES_HELP}\n`)
    .configureHelp({ showGlobalOptions: true });

  registerImport(program);
  registerExport(program);
  registerStats(program);
  registerMigrate(program);
  registerSync(program);
  registerStatus(program);
  registerWorker(program);
  registerSearch(program);
  registerSimilar(program);
  registerEmbed(program);
  registerBench(program);
  registerServe(program);
  registerUsers(program);
  registerDigest(program);
  registerSubscribers(program);
  registerLibrary(program);

  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const command of all(program)) {
    command.showSuggestionAfterError(true).showHelpAfterError("(run with --help for usage)");
  }
  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function run(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const command of all(program)) command.exitOverride();
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (and a suggestion for a typo).
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT.ok;
      if (error.code === "commander.help") return EXIT.ok;
      return EXIT.usage;
    }
    if (isPaperboyError(error) && error.code === "invalid_config") {
      process.stderr.write(`paperboy: ${error.message}\n`);
      return EXIT.config;
    }
    process.stderr.write(`paperboy: ${describeError(error)}\n`);
    if (process.env.PAPERBOY_DEBUG && error instanceof Error && error.stack)
      process.stderr.write(`${error.stack}\n`);
    return EXIT.failure;
  }
}
