import { type Command, InvalidArgumentError } from "commander";
import { type ArxivId, parseArxivId } from "../../core/index.ts";
import { positiveInt } from "./import.ts";

export interface SimilarOptions {
  json?: boolean;
  limit: number;
}

export function registerSimilar(program: Command): void {
  program
    .command("similar")
    .summary("papers like a given paper")
    .description(
      `Lists the papers nearest in meaning to a paper (by the search engine's vectors once it is built, else by its words), never the paper itself nor another version of it. The id may be written any way arXiv writes it (2405.15738, arXiv:2405.15738v2, an abs or pdf URL). Exits with 4 when the paper is not in the store.`,
    )
    .argument("<id>", "an arXiv id or URL", (v) => arxivId(v))
    .option("--json", "print as JSON")
    .option("--limit <n>", "how many (1-100)", (v) => limit(v), 10)
    .action(async (id: ArxivId, opts: SimilarOptions, command: Command) =>
      (await import("../actions/similar.ts")).runSimilar(id, opts, command),
    );
}

function arxivId(value: string): ArxivId {
  try {
    return parseArxivId(value).id;
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function limit(value: string): number {
  const n = positiveInt("--limit", value);
  if (n > 100) throw new InvalidArgumentError(`--limit must be at most 100, got "${value}"`);
  return n;
}
