import { normalizeText, PaperboyError, texAccentsToUnicode } from "../../core/index.ts";
import { balanceBraces } from "../../core/text/bibtex.ts";
import { lineIndex, resolveArxivId, shortLabel, splitKeywords } from "./ids.ts";
import { authorParts, entryYear, paperYear } from "./names.ts";
import type { EntryProblem, ExportItem, LibraryEntry } from "./types.ts";

/** Where a BibTeX entry broke, as an offset into the file (caught per entry, never thrown out of here). */
class BibSyntaxError extends PaperboyError {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super("invalid_record", message);
    this.name = "BibSyntaxError";
  }
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** Reads BibTeX one entry at a time; an entry that breaks is skipped up to the next `@` at a line start. */
class BibReader {
  private i = 0;
  private readonly macros = new Map<string, string>(MONTHS.map((m, n) => [m, String(n + 1)]));

  constructor(private readonly text: string) {}

  /** The offset of the next `@`, or -1. */
  nextEntry(): number {
    const at = this.text.indexOf("@", this.i);
    this.i = at < 0 ? this.text.length : at;
    return at;
  }

  /** Moves past a broken entry: to the next `@` that starts a line. */
  skipBroken(from: number): void {
    const re = /\n[ \t]*@/g;
    re.lastIndex = from + 1;
    const m = re.exec(this.text);
    this.i = m ? m.index + m[0].length - 1 : this.text.length;
  }

  /** Whether only spaces stand between the line's start and `at`. */
  private startsLine(at: number): boolean {
    return /^[ \t]*$/.test(this.text.slice(this.text.lastIndexOf("\n", at - 1) + 1, at));
  }

  private ws(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i] as string)) this.i++;
  }

  private fail(message: string): never {
    throw new BibSyntaxError(message, this.i);
  }

  private name(what: string): string {
    const m = /^[A-Za-z0-9_:.+\-/']+/.exec(this.text.slice(this.i, this.i + 200));
    if (!m) this.fail(`expected ${what}`);
    this.i += m[0].length;
    return m[0];
  }

  /** `{...}` with nested braces, or `"..."`; returns the inside. */
  private delimited(): string {
    const open = this.text[this.i];
    const start = this.i + 1;
    let depth = 0;
    for (let j = start; j < this.text.length; j++) {
      const ch = this.text[j];
      if (ch === "\\") {
        j++;
        continue;
      }
      if (ch === "{") depth++;
      else if (ch === "}") {
        if (depth === 0) {
          if (open !== "{") this.fail("unbalanced } inside a quoted value");
          this.i = j + 1;
          return this.text.slice(start, j);
        }
        depth--;
      } else if (ch === '"' && open === '"' && depth === 0) {
        this.i = j + 1;
        return this.text.slice(start, j);
      } else if (ch === "@" && open === "{" && depth === 0 && this.startsLine(j)) {
        this.fail("a value runs into the next entry (a } is missing)");
      }
    }
    return this.fail(open === "{" ? "a { is never closed" : 'a " is never closed');
  }

  private value(): string {
    const parts: string[] = [];
    for (;;) {
      this.ws();
      const ch = this.text[this.i];
      if (ch === "{" || ch === '"') parts.push(this.delimited());
      else if (ch !== undefined && /[0-9]/.test(ch)) parts.push(this.name("a number"));
      else if (ch !== undefined && /[A-Za-z]/.test(ch)) {
        const macro = this.name("a value").toLowerCase();
        parts.push(this.macros.get(macro) ?? macro);
      } else this.fail('expected a value ({...}, "...", a number or a name)');
      this.ws();
      if (this.text[this.i] !== "#") return parts.join("");
      this.i++;
    }
  }

  /** Reads the entry at the current `@`: null for @comment, @preamble and @string (which it records). */
  entry(): { type: string; key: string; fields: Map<string, string> } | null {
    this.i++; // the @
    const type = this.name("an entry type after @").toLowerCase();
    this.ws();
    const open = this.text[this.i];
    if (open !== "{" && open !== "(") {
      if (type === "comment") return null;
      this.fail(`expected { after @${type}`);
    }
    const close = open === "{" ? "}" : ")";
    if (type === "comment" || type === "preamble") {
      if (open === "{") this.delimited();
      else this.i = Math.max(this.text.indexOf(")", this.i), this.i) + 1;
      return null;
    }
    this.i++;
    this.ws();
    if (type === "string") {
      const name = this.name("a @string name").toLowerCase();
      this.ws();
      if (this.text[this.i] !== "=") this.fail("expected = in @string");
      this.i++;
      this.macros.set(name, this.value());
      this.ws();
      if (this.text[this.i] !== close) this.fail(`expected ${close} after @string`);
      this.i++;
      return null;
    }
    const keyMatch = /^[^\s,{}()"#=]*/.exec(this.text.slice(this.i, this.i + 500));
    const key = keyMatch?.[0] ?? "";
    this.i += key.length;
    const fields = new Map<string, string>();
    for (;;) {
      this.ws();
      const ch = this.text[this.i];
      if (ch === close) {
        this.i++;
        return { type, key, fields };
      }
      if (ch !== ",") this.fail(ch === undefined ? "the entry is never closed" : `expected , or ${close}`);
      this.i++;
      this.ws();
      if (this.text[this.i] === close) continue;
      const field = this.name("a field name").toLowerCase();
      this.ws();
      if (this.text[this.i] !== "=") this.fail(`expected = after ${field}`);
      this.i++;
      fields.set(field, this.value());
    }
  }
}

/** A BibTeX value as text: accents as characters, braces and escapes gone, spaces collapsed. */
export function bibText(value: string): string {
  return normalizeText(
    texAccentsToUnicode(value)
      .replace(/\\([&%$#_{}])/g, "$1")
      .replace(/[{}]/g, ""),
  );
}

/** `Family, Given and Given Family` → `["Given Family", "Given Family"]`. */
function bibAuthors(value: string): string[] {
  return bibText(value)
    .split(/\s+and\s+/i)
    .map((name) => {
      const [family, given] = name.split(/,\s*/, 2);
      return given ? `${given} ${family}` : (family ?? "");
    })
    .map((n) => n.trim())
    .filter((n) => n !== "" && n.toLowerCase() !== "others");
}

function toEntry(
  parsed: { key: string; fields: Map<string, string> },
  line: number,
): LibraryEntry | EntryProblem {
  const f = (name: string) => {
    const v = parsed.fields.get(name);
    return v === undefined ? null : bibText(v);
  };
  const archive = f("archiveprefix") ?? f("eprinttype");
  const eprint = archive === null || /arxiv/i.test(archive) ? f("eprint") : null;
  const doi = f("doi");
  const arxivId = resolveArxivId({
    ids: [eprint, f("arxiv"), f("arxivid")],
    doi,
    texts: [f("url"), f("note"), f("journal"), f("howpublished")],
  });
  const title = f("title");
  if (!title && !arxivId && !doi) {
    return { line, reason: `entry ${parsed.key || "without a key"} has no title, arXiv id or DOI` };
  }
  const tags = ["keywords", "groups", "mendeley-tags", "collection"].flatMap((name) =>
    splitKeywords(f(name) ?? ""),
  );
  return {
    line,
    label: parsed.key || shortLabel(title ?? arxivId ?? doi ?? ""),
    title: title || null,
    authors: bibAuthors(parsed.fields.get("author") ?? ""),
    year: entryYear(f("year") ?? f("date")),
    arxivId,
    doi,
    tags,
  };
}

/** Reads a BibTeX file: every entry it can, and each broken one with its line. */
export function parseBibtex(text: string): { entries: LibraryEntry[]; problems: EntryProblem[] } {
  const lineOf = lineIndex(text);
  const reader = new BibReader(text);
  const entries: LibraryEntry[] = [];
  const problems: EntryProblem[] = [];
  for (let at = reader.nextEntry(); at >= 0; at = reader.nextEntry()) {
    const line = lineOf(at);
    try {
      const parsed = reader.entry();
      if (!parsed) continue;
      const entry = toEntry(parsed, line);
      if ("reason" in entry) problems.push(entry);
      else entries.push(entry);
    } catch (error) {
      if (!(error instanceof BibSyntaxError)) throw error;
      problems.push({
        line,
        reason: `${error.message} (line ${lineOf(Math.min(error.offset, text.length))})`,
      });
      reader.skipBroken(at);
    }
  }
  return { entries, problems };
}

/** A value safe inside braces: unbalanced braces dropped, so a field never ends early. */
function braced(text: string): string {
  return `{${balanceBraces(text)}}`;
}

/** Citation keys: first author's family name, year, and the id's digits so keys never collide. */
function keyOf(item: ExportItem): string {
  const family = authorParts(item.paper.authors[0] ?? "").family;
  const ascii = family
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9]/g, "")
    .toLowerCase();
  return `${ascii || "paper"}${paperYear(item.paper) ?? ""}_${item.paper.id.replace(/[^A-Za-z0-9]/g, "")}`;
}

/** The library as BibTeX `@misc` entries in arXiv's form (eprint, archivePrefix), tags as `keywords`. */
export function writeBibtex(items: readonly ExportItem[]): string {
  return items
    .map((item) => {
      const p = item.paper;
      const fields: [string, string][] = [
        ["title", p.title],
        ["author", p.authors.join(" and ")],
        ["year", paperYear(p) ?? ""],
        ["eprint", p.id],
        ["archivePrefix", "arXiv"],
        ["primaryClass", p.categories[0] ?? ""],
        ["doi", p.doi ?? ""],
        ["url", `https://arxiv.org/abs/${p.id}`],
        ["keywords", item.tags.join(", ")],
      ];
      const body = fields
        .filter(([, v]) => v !== "")
        .map(([name, v]) => `  ${name} = ${braced(v)}`)
        .join(",\n");
      return `@misc{${keyOf(item)},\n${body}\n}\n`;
    })
    .join("\n");
}
