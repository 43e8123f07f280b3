import type { Paper } from "../../core/index.ts";
import { balanceBraces } from "../../core/text/bibtex.ts";

/** Letters and digits only, accents folded: citation keys must be plain ASCII. */
function keyPart(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9]/g, "");
}

/** A family name: the last word of "Given Family" (good enough for a key; the author field keeps names whole). */
function familyName(author: string): string {
  const words = author.trim().split(/\s+/);
  return words[words.length - 1] ?? "";
}

const STOP = new Set(["a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "towards", "toward"]);

/** Key as Google Scholar writes it: first author's family name, year, first meaningful title word. */
export function citationKey(paper: Paper): string {
  const author = keyPart(familyName(paper.authors[0] ?? "anonymous")).toLowerCase() || "anonymous";
  const year = (paper.publishedAt ?? paper.versions[0]?.date ?? "").slice(0, 4);
  const word =
    paper.title
      .split(/\s+/)
      .map((w) => keyPart(w).toLowerCase())
      .find((w) => w && !STOP.has(w)) ?? "";
  return `${author}${year}${word}`;
}

/** A `@misc` entry in the form arXiv recommends for preprints (eprint, archivePrefix, primaryClass). */
export function bibtexFor(paper: Paper): string {
  const year = (paper.publishedAt ?? paper.versions[0]?.date ?? "").slice(0, 4);
  const fields: [string, string][] = [
    ["title", balanceBraces(paper.title)],
    ["author", paper.authors.map(balanceBraces).join(" and ")],
    ["year", year],
    ["eprint", paper.id],
    ["archivePrefix", "arXiv"],
    ["primaryClass", paper.categories[0] ?? ""],
    ["doi", paper.doi ? balanceBraces(paper.doi) : ""],
    ["url", `https://arxiv.org/abs/${paper.id}`],
  ];
  const body = fields
    .filter(([, value]) => value !== "")
    .map(([name, value]) => `  ${name}={${value}}`)
    .join(",\n");
  return `@misc{${citationKey(paper)},\n${body}\n}`;
}
