import { normalizeText } from "../../core/index.ts";
import { doiOf, resolveArxivId, shortLabel } from "./ids.ts";
import { entryYear, paperYear } from "./names.ts";
import type { EntryProblem, ExportItem, LibraryEntry } from "./types.ts";

/** `TY  - JOUR`: a two-character tag, two spaces, a dash (some writers drop the space after it). */
const TAG_LINE = /^([A-Z][A-Z0-9]) {2}-(?: (.*))?$/;

function toEntry(fields: Map<string, string[]>, line: number): LibraryEntry | EntryProblem {
  const all = (...tags: string[]) => tags.flatMap((t) => fields.get(t) ?? []);
  const first = (...tags: string[]) => all(...tags)[0] ?? null;
  const doiField = first("DO");
  const doi = doiField ? (doiOf(doiField) ?? doiField) : null;
  const arxivId = resolveArxivId({
    ids: all("AN", "M1", "SN", "ID").filter((v) => /arxiv/i.test(v) || /^\d{4}\.\d{4,5}/.test(v)),
    doi,
    texts: [...all("UR", "L1", "L2", "LK", "N1", "JO", "T2")],
  });
  const title = first("TI", "T1", "CT", "BT");
  if (!title && !arxivId && !doi) return { line, reason: "the reference has no title, arXiv id or DOI" };
  return {
    line,
    label: shortLabel(first("ID") ?? title ?? arxivId ?? doi ?? ""),
    title,
    authors: all("AU", "A1", "A2"),
    year: entryYear(first("PY", "Y1", "DA")),
    arxivId,
    doi,
    tags: all("KW"),
  };
}

/** Reads an RIS file (EndNote, Zotero, Mendeley): each `TY` … `ER` block, a broken one reported with its line. */
export function parseRis(text: string): { entries: LibraryEntry[]; problems: EntryProblem[] } {
  const entries: LibraryEntry[] = [];
  const problems: EntryProblem[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let current: { line: number; fields: Map<string, string[]>; last: string | null } | null = null;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const m = TAG_LINE.exec(raw.trimEnd());
    if (!m) {
      if (raw.trim() === "") return;
      if (current?.last) {
        // A wrapped value: its continuation joins the field it belongs to.
        const values = current.fields.get(current.last) ?? [];
        values[values.length - 1] = `${values[values.length - 1] ?? ""} ${raw.trim()}`;
      } else problems.push({ line, reason: "not an RIS line (expected `XX  - value`)" });
      return;
    }
    const tag = m[1] as string;
    const value = normalizeText(m[2] ?? "");
    if (tag === "TY") {
      if (current)
        problems.push({ line: current.line, reason: `the reference has no ER line before line ${line}` });
      current = { line, fields: new Map(), last: null };
      return;
    }
    if (!current) {
      problems.push({ line, reason: `${tag} outside a reference (TY must come first)` });
      return;
    }
    if (tag === "ER") {
      const entry = toEntry(current.fields, current.line);
      if ("reason" in entry) problems.push(entry);
      else entries.push(entry);
      current = null;
      return;
    }
    if (value !== "") current.fields.set(tag, [...(current.fields.get(tag) ?? []), value]);
    current.last = value === "" ? null : tag;
  });
  if (current !== null) {
    problems.push({
      line: (current as { line: number }).line,
      reason: "the reference is never ended (no ER line)",
    });
  }
  return { entries, problems };
}

/** The library as RIS preprints (`TY  - PREP`), tags as `KW`. */
export function writeRis(items: readonly ExportItem[]): string {
  return items
    .map((item) => {
      const p = item.paper;
      const lines: [string, string][] = [
        ["TY", "PREP"],
        ["TI", p.title],
        ...p.authors.map((a): [string, string] => ["AU", a]),
        ["PY", paperYear(p) ?? ""],
        ["AB", p.abstract],
        ["DO", p.doi ?? ""],
        ["UR", `https://arxiv.org/abs/${p.id}`],
        ["AN", `arXiv:${p.id}`],
        ...item.tags.map((t): [string, string] => ["KW", t]),
      ];
      const body = lines
        .filter(([, v]) => v !== "")
        .map(([tag, v]) => `${tag}  - ${normalizeText(v)}`)
        .join("\n");
      return `${body}\nER  - \n`;
    })
    .join("\n");
}
