import { arxivIdIn, arxivIdOfDoi, doiOf, shortLabel } from "./ids.ts";
import type { EntryProblem, LibraryEntry } from "./types.ts";

/**
 * Reads a plain list: one arXiv id, arXiv URL or DOI a line (blank lines and `#` comments skipped). A line
 * that is none of these is reported with its number.
 */
export function parsePlainList(text: string): { entries: LibraryEntry[]; problems: EntryProblem[] } {
  const entries: LibraryEntry[] = [];
  const problems: EntryProblem[] = [];
  text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const line = index + 1;
      const text = raw.trim();
      if (text === "" || text.startsWith("#")) return;
      const doi = doiOf(text);
      const arxivId = (doi ? arxivIdOfDoi(doi) : null) ?? (doi ? null : arxivIdIn(text));
      if (!arxivId && !doi) {
        problems.push({ line, reason: `"${shortLabel(text)}" is not an arXiv id, arXiv URL or DOI` });
        return;
      }
      entries.push({
        line,
        label: shortLabel(text),
        title: null,
        authors: [],
        year: null,
        arxivId,
        doi,
        tags: [],
      });
    });
  return { entries, problems };
}
