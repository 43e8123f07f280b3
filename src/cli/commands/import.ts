import { type Command, InvalidArgumentError } from "commander";

export interface ImportOptions {
  json?: boolean;
  batchSize: number;
  showProblems: number;
}

export function registerImport(program: Command): void {
  program
    .command("import")
    .summary("import papers from files (arXiv snapshot, Hugging Face daily papers, Paperboy export)")
    .description(
      `Import papers from files, plain or gzip-compressed. The format of each file is detected:
  - arXiv's bulk metadata snapshot (JSON lines: id, title, abstract, versions, ...)
  - Hugging Face daily papers API responses (a JSON array per day; the day is taken from
    a YYYY-MM-DD in the file name, else from each entry)
  - a Paperboy export (paperboy export)
Importing is idempotent: papers are keyed by arXiv id, newer versions update them, the same
file twice changes nothing. Bad records are reported with file and line; the rest imports.`,
    )
    .argument("<files...>", "files to import (.json, .jsonl, optionally .gz)")
    .option("--json", "print the summary as JSON on stdout")
    .option("--batch-size <n>", "records per transaction", (v) => positiveInt("--batch-size", v), 1000)
    .option(
      "--show-problems <n>",
      "how many rejected records to list",
      (v) => positiveInt("--show-problems", v),
      20,
    )
    .action(async (files: string[], opts: ImportOptions, command: Command) =>
      (await import("../actions/import.ts")).runImport(files, opts, command),
    );
}

export function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`${flag} must be a positive whole number, got "${value}"`);
  }
  return n;
}
