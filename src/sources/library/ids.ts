import { type ArxivId, parseArxivId } from "../../core/index.ts";

/** arXiv's DOIs: `10.48550/arXiv.2104.12255`. */
const ARXIV_DOI = /^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)?10\.48550\/arxiv\.(.+)$/i;
/** An arXiv id inside free text: `arXiv:2104.12255v2`, `arxiv.org/abs/hep-th/9901001`, `eprint 2104.12255`. */
const IN_TEXT =
  /(?:arxiv\.org\/(?:abs|pdf|html)\/|arxiv:\s*)([a-z-]+(?:\.[a-z-]+)?\/\d{7}|\d{4}\.\d{4,5})(v\d+)?/i;
const DOI = /^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)?(10\.\d{4,9}\/\S+)$/i;

/** The id `text` is, in any form people write one (`2104.12255`, `arXiv:…`, an arXiv URL), or null. */
export function arxivIdOf(text: string): ArxivId | null {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.length > 200 || !/\d/.test(trimmed)) return null;
  try {
    return parseArxivId(trimmed).id;
  } catch {
    return null;
  }
}

/** The arXiv id an arXiv DOI names, or null. */
export function arxivIdOfDoi(doi: string): ArxivId | null {
  const m = ARXIV_DOI.exec(doi.trim());
  return m?.[1] ? arxivIdOf(m[1]) : null;
}

/** The first arXiv id mentioned in free text (a note, a URL, `arXiv preprint arXiv:…`), or null. */
export function arxivIdIn(text: string): ArxivId | null {
  // An id has no inner spaces: free text goes straight to the search (a refused parse costs an error).
  const whole = /\s/.test(text.trim()) ? null : arxivIdOf(text);
  if (whole) return whole;
  const m = IN_TEXT.exec(text);
  return m?.[1] ? arxivIdOf(m[1]) : null;
}

/** A DOI as written (`10.1000/x`, `doi:10.1000/x`, a doi.org URL), without its prefix; null otherwise. */
export function doiOf(text: string): string | null {
  const m = DOI.exec(text.trim());
  return m?.[1] ?? null;
}

/**
 * The entry's arXiv id by the import's first rule: an id field (eprint, arxiv) first, then an arXiv DOI, then
 * any arXiv id in a URL or note.
 */
export function resolveArxivId(fields: {
  ids?: readonly (string | null | undefined)[];
  doi?: string | null;
  texts?: readonly (string | null | undefined)[];
}): ArxivId | null {
  for (const id of fields.ids ?? []) {
    const found = id ? (arxivIdOf(id) ?? arxivIdIn(id)) : null;
    if (found) return found;
  }
  if (fields.doi) {
    const found = arxivIdOfDoi(fields.doi);
    if (found) return found;
  }
  for (const text of fields.texts ?? []) {
    const found = text ? arxivIdIn(text) : null;
    if (found) return found;
  }
  return null;
}

/** 1-based line of each offset: `lineOf(offset)` after `lineIndex(text)`. */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** Splits a keywords field: commas or semicolons. */
export function splitKeywords(text: string): string[] {
  return text
    .split(/[,;]/)
    .map((k) => k.trim())
    .filter((k) => k !== "");
}

/** A short label for the summary: the text cut to 80 characters. */
export function shortLabel(text: string): string {
  const clean = text.replace(/\s+/g, " ").trim();
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean;
}
