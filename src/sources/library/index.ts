/**
 * Members' libraries in and out: BibTeX, RIS, CSL-JSON, CSV and plain lists of ids. Pure: text in, entries
 * (each with its line) and problems out; library items in, text out. Matching entries to papers is the
 * importer's (src/jobs/library-import.ts).
 */
import { parseBibtex, writeBibtex } from "./bibtex.ts";
import { parseCslJson, writeCslJson } from "./csl-json.ts";
import { looksLikeCsvHeader, parseCsv, writeCsv } from "./csv.ts";
import { parsePlainList } from "./plain-list.ts";
import { parseRis, writeRis } from "./ris.ts";
import type { ExportFormat, ExportItem, LibraryFormat, ParsedLibrary } from "./types.ts";

export * from "./types.ts";

/** The format of a library file, told by its content. */
export function detectLibraryFormat(text: string): LibraryFormat {
  const body = text.replace(/^\uFEFF/, "").trimStart();
  if (body.startsWith("[") || body.startsWith("{")) return "csl-json";
  if (/^TY {2}-/m.test(body.slice(0, 10_000))) return "ris";
  if (/^\s*@[A-Za-z]+\s*[{(]/m.test(body.slice(0, 100_000))) return "bibtex";
  if (looksLikeCsvHeader(body.split("\n", 1)[0] ?? "")) return "csv";
  return "list";
}

/** Reads a library file in `format` (detected from the content when not given). */
export function parseLibraryFile(text: string, format?: LibraryFormat): ParsedLibrary {
  const chosen = format ?? detectLibraryFormat(text);
  const parse = {
    bibtex: parseBibtex,
    ris: parseRis,
    "csl-json": parseCslJson,
    csv: parseCsv,
    list: parsePlainList,
  }[chosen];
  return { format: chosen, ...parse(text) };
}

/** A library as a file of `format`. */
export function writeLibrary(items: readonly ExportItem[], format: ExportFormat): string {
  return { bibtex: writeBibtex, ris: writeRis, "csl-json": writeCslJson, csv: writeCsv }[format](items);
}

/** The file name extension and media type of each export format. */
export const EXPORT_FILE: Record<ExportFormat, { extension: string; mediaType: string }> = {
  bibtex: { extension: "bib", mediaType: "application/x-bibtex; charset=utf-8" },
  ris: { extension: "ris", mediaType: "application/x-research-info-systems; charset=utf-8" },
  "csl-json": { extension: "json", mediaType: "application/vnd.citationstyles.csl+json; charset=utf-8" },
  csv: { extension: "csv", mediaType: "text/csv; charset=utf-8" },
};
