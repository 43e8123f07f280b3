/** `paperboy library import|export`: a member's library in and out, from the shell. */
import { type Command, Option } from "commander";

export interface LibraryImportOptions {
  user: string;
  tag?: string[];
  format?: string;
  json?: boolean;
}

export interface LibraryExportOptions {
  user: string;
  format: string;
  output?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerLibrary(program: Command): void {
  const library = program.command("library").summary("import a member's references, export their library");
  const actions = () => import("../actions/library.ts");

  library
    .command("import")
    .summary(
      "add the papers of a BibTeX, RIS, CSL-JSON or CSV file, or a list of arXiv ids/URLs/DOIs (at most 5 MiB)",
    )
    .argument("<file>", "the file to read")
    .requiredOption("--user <email>", "the member whose library it goes into")
    .option("--tag <tag>", "also tag every imported paper with this (repeatable)", collect)
    .addOption(
      new Option("--format <format>", "the file's format (default: told from its content)").choices([
        "bibtex",
        "ris",
        "csl-json",
        "csv",
        "list",
      ]),
    )
    .option("--json", "print the summary as JSON")
    .action(async (file: string, opts: LibraryImportOptions, command: Command) =>
      (await actions()).runLibraryImport(file, opts, command),
    );

  library
    .command("export")
    .summary("write a member's library as BibTeX, RIS, CSL-JSON or CSV")
    .requiredOption("--user <email>", "the member")
    .addOption(
      new Option("--format <format>", "the file format")
        .choices(["bibtex", "ris", "csl-json", "csv"])
        .makeOptionMandatory(),
    )
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (opts: LibraryExportOptions, command: Command) =>
      (await actions()).runLibraryExport(opts, command),
    );
}
