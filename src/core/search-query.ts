/**
 * The search box's language, shared by the store's keyword search and the search service:
 *
 *   words  "quoted phrases"  -excluded  author:Name  author:First Last  cat:cs.LG  since:2024-01-01
 *   until:2024-12-31  year:2024
 *
 * Parsing never throws. Anything that is not this syntax is plain text: SQL, FTS operators, LaTeX and emoji are
 * only split into words, so no input reaches a database as syntax. Bad filter values are dropped with a note
 * saying why, so a typo narrows nothing instead of failing the search.
 *
 * Words are found with the search engine's tokenizer and stop words (`text/`), which are pure functions: the
 * store, the engine and the highlighter then agree on what a word is.
 */

import { archiveOf, parseCategory } from "./category.ts";
import { type IsoDate, parseIsoDate } from "./dates.ts";
import { authorKey } from "./text/normalize.ts";
import { ENGLISH_STOP_WORDS } from "./text/stopwords.ts";
import { tokenize } from "./text/tokenize.ts";

/** Filters a search (or a listing) can carry; `author:`, `cat:`, `since:`, `until:`, `year:` in a query. */
export interface SearchFilters {
  /**
   * Every author must be on the paper, matched on `authorKey` (case, accents and punctuation do not matter).
   * A one-word name matches an author's last name (`author:lecun` finds "Yann LeCun"); a longer one matches
   * the same last name with the same first names or their initials ("Tomas Pfister" finds "T. Pfister" and
   * "Tomàs Pfister", never "R. Tomàs"). Unquoted, a name runs to the next filter or the end of the query.
   */
  authors?: readonly string[];
  /**
   * The paper must be in at least one of these categories (primary or cross-list). An archive without a
   * subject (`cs`, `math`) stands for all of its categories.
   */
  categories?: readonly string[];
  /** Published on or after this day (UTC). */
  since?: IsoDate;
  /** Published on or before this day (UTC). */
  until?: IsoDate;
}

/**
 * Throws a `ValidationError` for filters a caller built itself that no query could carry (a category that is
 * not one, a date that is not a day); a query's own filters pass by construction.
 */
export function checkFilters(filters: SearchFilters): void {
  for (const c of filters.categories ?? []) parseCategory(c);
  if (filters.since !== undefined) parseIsoDate(filters.since);
  if (filters.until !== undefined) parseIsoDate(filters.until);
}

/** Quoted words that must appear together, in order. */
export interface SearchPhrase {
  /** Folded words of the phrase, stop words included (they hold the words' places). */
  words: string[];
}

export interface ParsedSearchQuery {
  /**
   * The free text with the filters taken out, rebuilt from the words found (`word "a phrase" -excluded`).
   * Parsing it again gives the same terms, phrases and exclusions and no filters.
   */
  text: string;
  /** Distinct folded words to search for (OR), stop words left out, in query order. */
  terms: string[];
  /** Phrases every result must contain. */
  phrases: SearchPhrase[];
  /** Words (one) or phrases (several) no result may contain; only applied alongside something to search. */
  excluded: SearchPhrase[];
  filters: SearchFilters;
  /** What the user should know: a cut query, an unbalanced quote, an ignored filter value. */
  notes: string[];
  /** Set when there is nothing to search and nothing to filter on; the caller shows it instead of results. */
  problem: string | null;
}

export interface SearchQueryLimits {
  /** Characters of the query read; the rest is dropped with a note. */
  maxChars: number;
  /** Distinct words searched; later ones are dropped with a note. */
  maxTerms: number;
}

export const DEFAULT_QUERY_LIMITS: SearchQueryLimits = { maxChars: 2_000, maxTerms: 64 };

/** arXiv archives, current and retired: `cat:` accepts these and their subject classes. */
const ARCHIVES = new Set(
  (
    "astro-ph cond-mat cs econ eess gr-qc hep-ex hep-lat hep-ph hep-th math math-ph nlin nucl-ex nucl-th " +
    "physics q-bio q-fin quant-ph stat acc-phys adap-org alg-geom ao-sci atom-ph bayes-an chao-dyn chem-ph " +
    "cmp-lg comp-gas dg-ga funct-an mtrl-th patt-sol plasm-ph q-alg solv-int supr-con"
  ).split(" "),
);

const QUOTE = /["\u201c\u201d\u201e\u00ab\u00bb]/;
const SPACE = /\s/;
const FILTER = /^(author|cat|category|since|until|year):(.*)$/is;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters (NUL included) is the point
const CONTROL = /[\u0000-\u001f\u007f]/g;

type Chunk =
  | { kind: "words"; text: string; excluded: boolean }
  | { kind: "phrase"; text: string; excluded: boolean }
  | { kind: "filter"; key: string; value: string };

/** Splits the query into plain text, quoted phrases and `key:value` filters. */
function lex(input: string, notes: string[]): Chunk[] {
  const chunks: Chunk[] = [];
  let i = 0;
  let quotesBalanced = true;
  /** The index of the quote closing one opened at `open`, or -1. */
  const closing = (open: number): number => {
    for (let j = open + 1; j < input.length; j++) if (QUOTE.test(input[j] as string)) return j;
    return -1;
  };
  while (i < input.length) {
    const c = input[i] as string;
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    // `-word` and `-"phrase"` exclude; `-2` or `-3` (ranges and lists in claims: "E2f-1, -2, -3") stay text.
    const next = input[i + 1] ?? "";
    const excluded = c === "-" && next !== "" && !SPACE.test(next) && !/[0-9.]/.test(next);
    const start = excluded ? i + 1 : i;
    if (QUOTE.test(input[start] as string)) {
      const end = quotesBalanced ? closing(start) : -1;
      if (end === -1) {
        if (quotesBalanced) notes.push("An unmatched quote was ignored.");
        quotesBalanced = false;
        i = start + 1;
        continue;
      }
      chunks.push({ kind: "phrase", text: input.slice(start + 1, end), excluded });
      i = end + 1;
      continue;
    }
    let end = start;
    while (end < input.length && !SPACE.test(input[end] as string) && !QUOTE.test(input[end] as string))
      end++;
    const word = input.slice(start, end);
    const filter = excluded ? null : FILTER.exec(word);
    if (filter) {
      const key = (filter[1] as string).toLowerCase();
      let value = filter[2] as string;
      if (value === "" && end < input.length && QUOTE.test(input[end] as string)) {
        const close = quotesBalanced ? closing(end) : -1;
        if (close !== -1) {
          value = input.slice(end + 1, close);
          end = close + 1;
        }
      } else if (key === "author" && value !== "") {
        // An unquoted name runs on to the next filter or the end: `author:Tomas Pfister cat:cs.CV`.
        const rest = nameRest(input, end);
        value += rest.words;
        end = rest.end;
      }
      chunks.push({ kind: "filter", key, value });
    } else {
      chunks.push({ kind: "words", text: word, excluded });
    }
    i = Math.max(end, i + 1);
  }
  return chunks;
}

/**
 * The words after an unquoted `author:First` that belong to the name: every word up to the next filter, quoted
 * phrase, excluded word or the end. `end` is where the name stops.
 */
function nameRest(input: string, from: number): { words: string; end: number } {
  let words = "";
  let end = from;
  let i = from;
  while (i < input.length) {
    while (i < input.length && SPACE.test(input[i] as string)) i++;
    if (i >= input.length || QUOTE.test(input[i] as string) || input[i] === "-") break;
    let j = i;
    while (j < input.length && !SPACE.test(input[j] as string) && !QUOTE.test(input[j] as string)) j++;
    const word = input.slice(i, j);
    if (FILTER.test(word)) break;
    words += ` ${word}`;
    end = j;
    i = j;
  }
  return { words, end };
}

/** A date filter value: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, taken as the first or last day it covers. */
function parseDateBound(value: string, end: "first" | "last"): IsoDate | null {
  const v = value.trim();
  try {
    if (/^\d{4}$/.test(v)) return parseIsoDate(end === "first" ? `${v}-01-01` : `${v}-12-31`);
    const month = /^(\d{4})-(\d{2})$/.exec(v);
    if (month) {
      const first = parseIsoDate(`${v}-01`);
      if (end === "first") return first;
      const lastDay = new Date(Date.UTC(Number(month[1]), Number(month[2]), 0)).getUTCDate();
      return parseIsoDate(`${v}-${String(lastDay).padStart(2, "0")}`);
    }
    return parseIsoDate(v);
  } catch {
    return null;
  }
}

/** arXiv writes two-letter subject classes in capitals (cs.LG, math.AG); `cs.lg` is read as meant. */
function canonicalCategory(value: string): string {
  const m = /^([a-z-]+)\.([A-Za-z]{2})$/.exec(value);
  return m ? `${m[1]}.${(m[2] as string).toUpperCase()}` : value;
}

function show(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/** Builds the filters from the filter chunks, noting every value it had to drop. */
function readFilters(chunks: readonly Chunk[], notes: string[]): SearchFilters {
  const authors: string[] = [];
  const categories: string[] = [];
  let since: IsoDate | undefined;
  let until: IsoDate | undefined;
  const later = (a: IsoDate | undefined, b: IsoDate) => (a === undefined || b > a ? b : a);
  const earlier = (a: IsoDate | undefined, b: IsoDate) => (a === undefined || b < a ? b : a);
  for (const chunk of chunks) {
    if (chunk.kind !== "filter") continue;
    const { key, value } = chunk;
    if (value.trim() === "") {
      notes.push(`The filter ${key}: has no value and was ignored.`);
      continue;
    }
    if (key === "author") {
      const name = authorKey(value);
      if (name === "") notes.push(`author:${show(value)} has no letters or digits and was ignored.`);
      else if (!authors.includes(name)) authors.push(name);
    } else if (key === "cat" || key === "category") {
      for (const part of value.split(",")) {
        if (part.trim() === "") continue;
        const category = readCategory(part, notes);
        if (category !== null && !categories.includes(category)) categories.push(category);
      }
    } else if (key === "since" || key === "until") {
      const date = parseDateBound(value, key === "since" ? "first" : "last");
      if (date === null) {
        notes.push(
          `${key}:${show(value)} is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY) and was ignored.`,
        );
      } else if (key === "since") since = later(since, date);
      else until = earlier(until, date);
    } else {
      const first = /^\d{4}$/.test(value.trim()) ? parseDateBound(value, "first") : null;
      const last = first === null ? null : parseDateBound(value, "last");
      if (first === null || last === null) {
        notes.push(`year:${show(value)} is not a year (expected four digits, like 2024) and was ignored.`);
      } else {
        since = later(since, first);
        until = earlier(until, last);
      }
    }
  }
  const filters: SearchFilters = {};
  if (authors.length > 0) filters.authors = authors;
  if (categories.length > 0) filters.categories = categories;
  if (since !== undefined) filters.since = since;
  if (until !== undefined) filters.until = until;
  return filters;
}

function readCategory(value: string, notes: string[]): string | null {
  try {
    const category = parseCategory(canonicalCategory(value.trim()));
    if (!ARCHIVES.has(archiveOf(category))) {
      notes.push(`cat:${show(value)} is not an arXiv category (like cs.LG or hep-th) and was ignored.`);
      return null;
    }
    return category;
  } catch {
    notes.push(`cat:${show(value)} is not an arXiv category (like cs.LG or hep-th) and was ignored.`);
    return null;
  }
}

const isStopWord = (word: string) => ENGLISH_STOP_WORDS.has(word);

/** Parses a search box query; never throws. */
export function parseSearchQuery(
  input: string,
  limits: SearchQueryLimits = DEFAULT_QUERY_LIMITS,
): ParsedSearchQuery {
  const notes: string[] = [];
  let raw = typeof input === "string" ? input : "";
  if (raw.length > limits.maxChars) {
    // Never leave half of a surrogate pair (an emoji) at the cut.
    const cut = /[\ud800-\udbff]/.test(raw[limits.maxChars - 1] ?? "")
      ? limits.maxChars - 1
      : limits.maxChars;
    raw = raw.slice(0, cut);
    notes.push(
      `Your query was shortened to its first ${limits.maxChars.toLocaleString("en-US")} characters.`,
    );
  }
  const chunks = lex(raw.replace(CONTROL, " "), notes);
  const filters = readFilters(chunks, notes);

  const terms: string[] = [];
  const phrases: SearchPhrase[] = [];
  const excluded: SearchPhrase[] = [];
  const stopWordsSeen: string[] = [];
  /** The rebuilt free text, in query order. */
  const parts: string[] = [];
  let termsDropped = false;
  /** Adds a word to the terms; true when it is new and searched. */
  const addTerm = (word: string): boolean => {
    if (isStopWord(word)) {
      if (!stopWordsSeen.includes(word)) stopWordsSeen.push(word);
      return false;
    }
    if (terms.includes(word)) return false;
    if (terms.length >= limits.maxTerms) {
      termsDropped = true;
      return false;
    }
    terms.push(word);
    return true;
  };
  for (const chunk of chunks) {
    if (chunk.kind === "filter") continue;
    const words = tokenize(chunk.text).map((t) => t.text);
    const quoted = `"${words.join(" ")}"`;
    if (chunk.excluded) {
      if (words.some((w) => !isStopWord(w))) {
        excluded.push({ words });
        // `-2` reads as text (see `lex`), so a lone excluded word starting with a digit keeps its quotes.
        const bare = words.length === 1 && !/^[0-9]/.test(words[0] as string);
        parts.push(bare ? `-${words[0]}` : `-${quoted}`);
      }
    } else if (chunk.kind === "phrase" && words.length > 1 && words.some((w) => !isStopWord(w))) {
      const added = words.filter(addTerm);
      // A phrase counts only with all its words searched (past the word limit it would be half a phrase);
      // the words of half a phrase that were searched stay in the text as words.
      const complete = words.every((w) => isStopWord(w) || terms.includes(w));
      if (!complete) parts.push(...added);
      else if (!phrases.some((p) => p.words.join(" ") === words.join(" "))) {
        phrases.push({ words });
        parts.push(quoted);
      }
    } else {
      for (const w of words) if (addTerm(w)) parts.push(w);
    }
  }
  if (termsDropped) notes.push(`Your query was shortened to its first ${limits.maxTerms} words.`);

  const hasFilters = Object.keys(filters).length > 0;
  const searchable = terms.length > 0;
  if (!searchable && excluded.length > 0) {
    notes.push("Excluded words only narrow a search that has words to look for; they were ignored.");
    excluded.length = 0;
  }
  let problem: string | null = null;
  if (!searchable && !hasFilters) {
    problem =
      stopWordsSeen.length > 0
        ? `The query has only common words (${stopWordsSeen.slice(0, 5).join(", ")}), which are not searched; add a more specific word.`
        : "The query has no words to search for.";
  } else if (!searchable && stopWordsSeen.length > 0) {
    notes.push(`Common words (${stopWordsSeen.slice(0, 5).join(", ")}) are not searched.`);
  }
  if (filters.since !== undefined && filters.until !== undefined && filters.since > filters.until) {
    problem = `No day is both on or after ${filters.since} and on or before ${filters.until}.`;
  }

  if (excluded.length === 0) {
    for (let i = parts.length - 1; i >= 0; i--) if (parts[i]?.startsWith("-")) parts.splice(i, 1);
  }
  const text = parts.join(" ");
  return { text, terms, phrases, excluded, filters, notes, problem };
}

/** Whether a parsed query has words to search for (else a caller lists by its filters alone). */
export function hasSearchTerms(query: ParsedSearchQuery): boolean {
  return query.terms.length > 0;
}
