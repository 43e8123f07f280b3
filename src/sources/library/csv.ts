import { normalizeText } from "../../core/index.ts";
import { doiOf, resolveArxivId, shortLabel } from "./ids.ts";
import { entryYear, paperYear } from "./names.ts";
import type { EntryProblem, ExportItem, LibraryEntry } from "./types.ts";

/** The columns `writeCsv` writes; import also takes `arxiv`, `eprint`, `id`, `keywords`, `doi`, `url`. */
export const CSV_COLUMNS = ["arxiv_id", "title", "authors", "year", "tags", "saved_at", "read_at", "url"];

/** Header names the importer knows; a first line with two of them is a CSV header. */
const KNOWN = new Set([...CSV_COLUMNS, "arxiv", "eprint", "id", "keywords", "doi", "author", "collections"]);

/** RFC 4180 records: quoted fields may hold commas, quotes (doubled) and line breaks. */
function records(text: string): { line: number; cells: string[]; error?: string }[] {
  const out: { line: number; cells: string[]; error?: string }[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const cells: string[] = [];
    let cell = "";
    let error: string | undefined;
    for (;;) {
      if (text[i] === '"') {
        const close = (() => {
          for (let j = i + 1; j < text.length; j++) {
            if (text[j] === "\n") line++;
            if (text[j] === '"') {
              if (text[j + 1] === '"') j++;
              else return j;
            }
          }
          return -1;
        })();
        if (close < 0) {
          error = "a quoted field is never closed";
          cell = text.slice(i + 1);
          i = text.length;
        } else {
          cell = text.slice(i + 1, close).replace(/""/g, '"');
          i = close + 1;
          while (i < text.length && text[i] !== "," && text[i] !== "\n") i++;
        }
      } else {
        let j = i;
        while (j < text.length && text[j] !== "," && text[j] !== "\n") j++;
        cell = text.slice(i, j).replace(/\r$/, "");
        i = j;
      }
      cells.push(cell);
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "\n") {
        i++;
        line++;
      }
      break;
    }
    if (cells.length > 1 || (cells[0] ?? "").trim() !== "")
      out.push({ line: start, cells, ...(error ? { error } : {}) });
  }
  return out;
}

/** Whether `firstLine` is a header this importer understands. */
export function looksLikeCsvHeader(firstLine: string): boolean {
  const names = firstLine.split(",").map((n) => n.trim().replace(/^"|"$/g, "").toLowerCase());
  return names.length >= 2 && names.filter((n) => KNOWN.has(n)).length >= 2;
}

const list = (text: string) =>
  text
    .split(";")
    .map((v) => v.trim())
    .filter((v) => v !== "");

/** Reads a CSV with a header row (what `writeCsv` writes, or a spreadsheet with such columns). */
export function parseCsv(text: string): { entries: LibraryEntry[]; problems: EntryProblem[] } {
  const rows = records(text.replace(/^\uFEFF/, ""));
  const header = rows.shift();
  if (!header) return { entries: [], problems: [] };
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const entries: LibraryEntry[] = [];
  const problems: EntryProblem[] = [];
  for (const row of rows) {
    if (row.error) {
      problems.push({ line: row.line, reason: row.error });
      continue;
    }
    if (row.cells.length > names.length) {
      problems.push({
        line: row.line,
        reason: `${row.cells.length} fields where the header has ${names.length}`,
      });
      continue;
    }
    const get = (...keys: string[]) => {
      for (const key of keys) {
        const at = names.indexOf(key);
        const v = at >= 0 ? normalizeText(row.cells[at] ?? "") : "";
        if (v !== "") return v;
      }
      return null;
    };
    const doiField = get("doi");
    const doi = doiField ? (doiOf(doiField) ?? doiField) : null;
    const arxivId = resolveArxivId({
      ids: [get("arxiv_id", "arxiv", "eprint", "id")],
      doi,
      texts: [get("url")],
    });
    const title = get("title");
    if (!title && !arxivId && !doi) {
      problems.push({ line: row.line, reason: "the row has no title, arXiv id or DOI" });
      continue;
    }
    entries.push({
      line: row.line,
      label: shortLabel(arxivId ?? title ?? doi ?? ""),
      title,
      authors: list(get("authors", "author") ?? ""),
      year: entryYear(get("year")),
      arxivId,
      doi,
      tags: [...list(get("tags") ?? ""), ...list(get("keywords") ?? ""), ...list(get("collections") ?? "")],
    });
  }
  return { entries, problems };
}

/** A field quoted when it must be; a leading =, +, - or @ is prefixed so spreadsheets do not run it. */
function cell(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The library as CSV, one paper a row; authors and tags separated by `; `. */
export function writeCsv(items: readonly ExportItem[]): string {
  const rows = items.map((item) =>
    [
      item.paper.id,
      item.paper.title,
      item.paper.authors.join("; "),
      paperYear(item.paper) ?? "",
      item.tags.join("; "),
      item.savedAt,
      item.readAt ?? "",
      `https://arxiv.org/abs/${item.paper.id}`,
    ]
      .map((v) => cell(normalizeText(v)))
      .join(","),
  );
  return `${[CSV_COLUMNS.join(","), ...rows].join("\r\n")}\r\n`;
}
