import { normalizeText } from "../../core/index.ts";
import { doiOf, lineIndex, resolveArxivId, shortLabel, splitKeywords } from "./ids.ts";
import { authorParts, entryYear, paperYear } from "./names.ts";
import type { EntryProblem, ExportItem, LibraryEntry } from "./types.ts";

/** Offsets where each element of the top-level array starts (strings and nesting skipped). */
function elementOffsets(text: string): number[] {
  const starts: number[] = [];
  let depth = 0;
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (/\s/.test(ch)) continue;
    if (depth === 1 && expectValue && ch !== "]") {
      starts.push(i);
      expectValue = false;
    }
    if (ch === '"') inString = true;
    else if (ch === "[" || ch === "{") {
      depth++;
      if (depth === 1) expectValue = true;
    } else if (ch === "]" || ch === "}") depth--;
    else if (ch === "," && depth === 1) expectValue = true;
  }
  return starts;
}

const str = (v: unknown): string | null =>
  typeof v === "string" && v.trim() !== "" ? normalizeText(v) : null;

function authorsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((a: unknown) => {
      if (typeof a !== "object" || a === null) return "";
      const o = a as Record<string, unknown>;
      return str(o.literal) ?? [str(o.given), str(o.family)].filter(Boolean).join(" ");
    })
    .filter((n) => n !== "");
}

function yearOf(issued: unknown): string | null {
  if (typeof issued !== "object" || issued === null) return null;
  const o = issued as Record<string, unknown>;
  const parts = o["date-parts"];
  if (Array.isArray(parts) && Array.isArray(parts[0])) return entryYear(String(parts[0][0] ?? ""));
  return entryYear(str(o.raw) ?? str(o.literal));
}

function toEntry(item: unknown, line: number): LibraryEntry | EntryProblem {
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    return { line, reason: "an item must be a JSON object" };
  }
  const o = item as Record<string, unknown>;
  const doiField = str(o.DOI) ?? str(o.doi);
  const doi = doiField ? (doiOf(doiField) ?? doiField) : null;
  const arxivId = resolveArxivId({
    ids: [str(o.arxiv), str(o.eprint), str(o.number)].filter((v) => v === null || !/^\d+$/.test(v)),
    doi,
    texts: [str(o.URL), str(o.url), str(o.note), str(o["container-title"]), str(o.archive_location)],
  });
  const title = str(o.title);
  if (!title && !arxivId && !doi) return { line, reason: "the item has no title, arXiv id or DOI" };
  const keywords = typeof o.keyword === "string" ? splitKeywords(o.keyword) : [];
  const custom =
    typeof o.custom === "object" && o.custom !== null ? (o.custom as Record<string, unknown>) : {};
  const listed = [o.tags, o.collections, custom.tags, custom.collections].flatMap((v) =>
    Array.isArray(v) ? v.filter((t): t is string => typeof t === "string") : [],
  );
  return {
    line,
    label: shortLabel(
      str(o.id) ?? (typeof o.id === "number" ? String(o.id) : (title ?? arxivId ?? doi ?? "")),
    ),
    title,
    authors: authorsOf(o.author),
    year: yearOf(o.issued),
    arxivId,
    doi,
    tags: [...keywords, ...listed],
  };
}

/**
 * A document that is not valid JSON as a whole: each element of its top-level array is read on its own, so
 * one broken item is reported with its line and the others still import.
 */
function salvage(
  text: string,
  lineOf: (offset: number) => number,
  message: string,
): { entries: LibraryEntry[]; problems: EntryProblem[] } {
  const offsets = text.trimStart().startsWith("[") ? elementOffsets(text) : [];
  if (offsets.length === 0) {
    const at = /position (\d+)/.exec(message);
    return {
      entries: [],
      problems: [{ line: at ? lineOf(Number(at[1])) : 1, reason: `not valid JSON: ${message}` }],
    };
  }
  const entries: LibraryEntry[] = [];
  const problems: EntryProblem[] = [];
  const end = text.lastIndexOf("]");
  offsets.forEach((offset, k) => {
    const line = lineOf(offset);
    const next = offsets[k + 1];
    const piece = text
      .slice(offset, next ?? (end > offset ? end : text.length))
      .trim()
      .replace(/,$/, "");
    let item: unknown;
    try {
      item = JSON.parse(piece);
    } catch (error) {
      problems.push({ line, reason: `not valid JSON: ${(error as Error).message.slice(0, 120)}` });
      return;
    }
    const entry = toEntry(item, line);
    if ("reason" in entry) problems.push(entry);
    else entries.push(entry);
  });
  return { entries, problems };
}

/** Reads CSL-JSON (Zotero's and Mendeley's JSON export): an array of items, each bad one with its line. */
export function parseCslJson(text: string): { entries: LibraryEntry[]; problems: EntryProblem[] } {
  const clean = text.replace(/^\uFEFF/, "");
  const lineOf = lineIndex(clean);
  let data: unknown;
  try {
    data = JSON.parse(clean);
  } catch (error) {
    return salvage(clean, lineOf, (error as Error).message);
  }
  const items = Array.isArray(data)
    ? data
    : typeof data === "object" && data !== null && Array.isArray((data as { items?: unknown }).items)
      ? (data as { items: unknown[] }).items
      : null;
  if (!items) return { entries: [], problems: [{ line: 1, reason: "CSL-JSON is an array of items" }] };
  const offsets = Array.isArray(data) ? elementOffsets(clean) : [];
  const entries: LibraryEntry[] = [];
  const problems: EntryProblem[] = [];
  items.forEach((item, n) => {
    const offset = offsets[n];
    const entry = toEntry(item, offset === undefined ? 1 : lineOf(offset));
    if ("reason" in entry) problems.push(entry);
    else entries.push(entry);
  });
  return { entries, problems };
}

/** The library as CSL-JSON items (`type: article`, arXiv id in `number`), tags in `keyword`. */
export function writeCslJson(items: readonly ExportItem[]): string {
  const out = items.map((item) => {
    const p = item.paper;
    const year = paperYear(p);
    return {
      id: `arXiv:${p.id}`,
      type: "article",
      title: p.title,
      author: p.authors.map((a) => {
        const { given, family } = authorParts(a);
        return given ? { family, given } : { literal: a };
      }),
      ...(year ? { issued: { "date-parts": [[Number(year)]] } } : {}),
      abstract: p.abstract,
      publisher: "arXiv",
      number: `arXiv:${p.id}`,
      ...(p.doi ? { DOI: p.doi } : {}),
      URL: `https://arxiv.org/abs/${p.id}`,
      ...(item.tags.length > 0 ? { keyword: item.tags.join(", ") } : {}),
    };
  });
  return `${JSON.stringify(out, null, 2)}\n`;
}
