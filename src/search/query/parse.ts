import type { Analyzer, Term } from "../../core/text/analyzer.ts";
import { tokenize } from "../../core/text/tokenize.ts";
import type { QueryPair } from "../rank/proximity.ts";

/** A quoted phrase: its terms and their offsets from the first one (stop words inside leave gaps). */
export interface QueryPhrase {
  text: string;
  terms: string[];
  offsets: number[];
}

export interface ParsedQuery {
  /**
   * The query's distinct terms, words and phrase words alike, in order of first appearance. A repeated word
   * counts once: in long queries repeats are incidental wording, and counting them (BM25's query term
   * frequency) cost 0.3 points of hybrid nDCG@10 on SciFact (bench/search/README.md).
   */
  terms: string[];
  /**
   * The query's distinct words as typed (folded, unstemmed), for the exact-form bonus (`rank/exact-forms.ts`);
   * absent in queries made by hand (then stems alone score).
   */
  exact?: string[];
  /**
   * Successive words of the query (stems, with how far apart they were typed), scored when a document keeps
   * them together (`rank/proximity.ts`); absent in queries made by hand.
   */
  pairs?: QueryPair[];
  /** How many stop words the query has: a sentence has them, a list of key phrases rarely does. */
  stopWords?: number;
  /** Phrases a result must contain. */
  phrases: QueryPhrase[];
  /** Things the user may want to know (a quote was unbalanced, the query was cut, stop words were dropped). */
  notes: string[];
  /** Set when nothing can be searched (empty, or only stop words); then `terms` is empty. */
  problem: string | null;
}

export interface ParseOptions {
  /** Characters read from the query; the rest is ignored with a note. Default 10,000. */
  maxChars?: number;
  /** Distinct terms kept; later ones are ignored with a note. Default 64. */
  maxTerms?: number;
}

/** Successive query words further apart than this (stop words between) make no pair. */
const MAX_PAIR_GAP = 3;

const QUOTES = /["\u201c\u201d\u201e\u00ab\u00bb]/g;

/**
 * Parses a search box query. Words are searched with OR semantics and ranked; text in double quotes (straight
 * or typographic) is a phrase every result must contain. Everything else is plain text: operators, SQL,
 * LaTeX, emoji and control characters are no syntax here, so no input can make parsing fail. An unbalanced
 * quote is read as if it were not there.
 */
export function parseQuery(input: string, analyzer: Analyzer, options: ParseOptions = {}): ParsedQuery {
  const maxChars = options.maxChars ?? 10_000;
  const maxTerms = options.maxTerms ?? 64;
  const notes: string[] = [];
  let text = typeof input === "string" ? input : "";
  if (text.length > maxChars) {
    text = text.slice(0, maxChars);
    notes.push(`Only the first ${maxChars} characters of the query were used.`);
  }
  const parts = text.split(QUOTES);
  if (parts.length % 2 === 0) {
    notes.push("An unmatched quote was ignored.");
    const last = parts.pop() ?? "";
    parts[parts.length - 1] = `${parts[parts.length - 1] ?? ""} ${last}`;
  }
  const terms: string[] = [];
  const exact = new Set<string>();
  const pairs: QueryPair[] = [];
  const pairKeys = new Set<string>();
  let stopWords = 0;
  const phrases: QueryPhrase[] = [];
  const distinct = new Set<string>();
  let truncated = false;
  /** Whether a term is within the distinct-term budget (a repeat always is); a new one joins `terms`. */
  const keep = (term: string): boolean => {
    if (distinct.has(term)) return true;
    if (distinct.size >= maxTerms) {
      truncated = true;
      return false;
    }
    distinct.add(term);
    terms.push(term);
    return true;
  };
  parts.forEach((part, i) => {
    const analyzed = analyzer.analyze(part);
    stopWords += tokenize(part).filter((t) => analyzer.isStopWord(t.text)).length;
    const kept = analyzed.filter((t) => keep(t.term));
    for (const t of kept) exact.add(t.token);
    for (let j = 1; j < kept.length; j++) {
      const a = kept[j - 1] as Term;
      const b = kept[j] as Term;
      const key = `${a.term} ${b.term}`;
      if (a.term === b.term || b.position - a.position > MAX_PAIR_GAP || pairKeys.has(key)) continue;
      pairKeys.add(key);
      pairs.push({ first: a.term, second: b.term, gap: b.position - a.position });
    }
    if (i % 2 === 1 && kept.length > 1 && kept.length === analyzed.length) {
      const first = (kept[0] as { position: number }).position;
      phrases.push({
        text: part.trim(),
        terms: kept.map((t) => t.term),
        offsets: kept.map((t) => t.position - first),
      });
    }
  });
  if (truncated) notes.push(`Only the first ${maxTerms} distinct words of the query were used.`);
  if (terms.length > 0) return { terms, exact: [...exact], pairs, stopWords, phrases, notes, problem: null };
  const words = tokenize(text);
  const problem =
    words.length === 0
      ? "The query has no words to search for."
      : `The query has only common words (${words
          .slice(0, 5)
          .map((w) => w.text)
          .join(", ")}) that are not searched; add a more specific word.`;
  return { terms: [], phrases: [], notes, problem };
}
