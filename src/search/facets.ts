import { lastNameOf, nameKeyMatcher } from "../core/author-names.ts";
import type { SearchFilters } from "../core/search-query.ts";
import { authorKey } from "../core/text/normalize.ts";

/** A paper's facets as the store gives them (`store.search.facetPage`). */
export interface FacetRow {
  publishedAt: string | null;
  categories: readonly string[];
  authorKeys: readonly string[];
}

/** One bit per document (bit `doc & 31` of word `doc >>> 5`). */
export type DocBits = Uint32Array;

export function hasBit(bits: DocBits, doc: number): boolean {
  return ((bits[doc >>> 5] as number) & (1 << (doc & 31))) !== 0;
}

/** A day number (days since 1970-01-01) for a document without a publication date: it passes no date filter. */
const NO_DAY = -2_147_483_648;
const DAY_MS = 86_400_000;
/** Filters evaluated to bitsets, kept per segment (the most recent first out of the cache last). */
const CACHED_FILTERS = 8;

/**
 * The facets search filters read (`store/search/filters.ts`), for one segment's documents (local numbers
 * 0..size-1), compact enough for a million papers: the publication day as an Int32Array, and categories and
 * author name keys each as a dictionary with posting lists of documents (CSR: `offsets` into `docs`). Author
 * keys are grouped by last word, since every key an `author:` filter takes ends with the filter's last word
 * (`nameKeyMatcher`); so a filter tests only the keys of that last name, with the very rule the store turns
 * into SQL. A filter evaluates to a bitset over the segment's documents; the last few are cached.
 */
export class FacetIndex {
  private readonly cache = new Map<string, DocBits>();

  private constructor(
    readonly size: number,
    private readonly days: Int32Array,
    private readonly categories: Postings,
    private readonly authors: Postings,
    private readonly byLastName: Map<string, number[]>,
  ) {}

  /** Builds the index from `rows(add)`, which calls `add(doc, row)` for each document it knows. */
  static async build(
    size: number,
    rows: (add: (doc: number, row: FacetRow) => void) => Promise<void>,
  ): Promise<FacetIndex> {
    const days = new Int32Array(size).fill(NO_DAY);
    const categories = new PostingsBuilder();
    const authors = new PostingsBuilder();
    await rows((doc, row) => {
      if (doc < 0 || doc >= size) return;
      days[doc] = dayOf(row.publishedAt);
      for (const c of new Set(row.categories)) categories.add(c, doc);
      for (const k of new Set(row.authorKeys)) authors.add(k, doc);
    });
    const authorPostings = authors.finish();
    const byLastName = new Map<string, number[]>();
    authorPostings.keys.forEach((key, id) => {
      const last = lastNameOf(key);
      const list = byLastName.get(last);
      if (list === undefined) byLastName.set(last, [id]);
      else list.push(id);
    });
    return new FacetIndex(size, days, categories.finish(), authorPostings, byLastName);
  }

  /** The documents passing every one of `filters` (the store's `filterConditions`), as a bitset. */
  matching(filters: SearchFilters): DocBits {
    const key = filterKey(filters);
    const known = this.cache.get(key);
    if (known !== undefined) {
      // Most recently used last: the first key is the one to drop.
      this.cache.delete(key);
      this.cache.set(key, known);
      return known;
    }
    const bits = this.evaluate(filters);
    this.cache.set(key, bits);
    if (this.cache.size > CACHED_FILTERS) this.cache.delete(this.cache.keys().next().value as string);
    return bits;
  }

  private evaluate(filters: SearchFilters): DocBits {
    const words = (this.size + 31) >>> 5;
    let bits: DocBits | null = null;
    const and = (next: DocBits) => {
      if (bits === null) bits = next;
      else
        for (let i = 0; i < words; i++)
          (bits as DocBits)[i] = ((bits as DocBits)[i] as number) & (next[i] as number);
    };
    for (const name of filters.authors ?? []) {
      const key = authorKey(name);
      const takes = nameKeyMatcher(key);
      const candidates = this.byLastName.get(lastNameOf(key)) ?? [];
      and(
        this.authors.union(
          candidates.filter((id) => takes(this.authors.keys[id] as string)),
          words,
        ),
      );
    }
    const categories = filters.categories ?? [];
    if (categories.length > 0) {
      const exact = new Set(categories);
      // An archive (no dot) covers its categories, as the store's `LIKE 'cs.%'`.
      const archives = categories.filter((c) => !c.includes(".")).map((c) => `${c}.`);
      const ids: number[] = [];
      this.categories.keys.forEach((c, id) => {
        if (exact.has(c) || archives.some((a) => c.startsWith(a))) ids.push(id);
      });
      and(this.categories.union(ids, words));
    }
    if (filters.since !== undefined || filters.until !== undefined) {
      const from = filters.since === undefined ? NO_DAY + 1 : dayOf(filters.since);
      const to = filters.until === undefined ? Number.MAX_SAFE_INTEGER : dayOf(filters.until);
      const dated = new Uint32Array(words);
      const days = this.days;
      for (let doc = 0; doc < this.size; doc++) {
        const day = days[doc] as number;
        if (day !== NO_DAY && day >= from && day <= to)
          dated[doc >>> 5] = (dated[doc >>> 5] as number) | (1 << (doc & 31));
      }
      and(dated);
    }
    return bits ?? new Uint32Array(words).fill(0xffffffff);
  }
}

/**
 * The day of an ISO-8601 date or timestamp. The store compares the text: `published_at >= since` and
 * `published_at < nextDay(until)`, which for an ISO timestamp is its date being in [since, until].
 */
function dayOf(iso: string | null): number {
  if (iso === null || !/^\d{4}-\d{2}-\d{2}/.test(iso)) return NO_DAY;
  const ms = Date.parse(`${iso.slice(0, 10)}T00:00:00.000Z`);
  return Number.isNaN(ms) ? NO_DAY : Math.floor(ms / DAY_MS);
}

function filterKey(filters: SearchFilters): string {
  return JSON.stringify([
    [...(filters.authors ?? [])].map(authorKey).sort(),
    [...(filters.categories ?? [])].sort(),
    filters.since ?? null,
    filters.until ?? null,
  ]);
}

/** A dictionary of keys, each with the ascending documents that have it (CSR). */
class Postings {
  constructor(
    readonly keys: readonly string[],
    private readonly offsets: Uint32Array,
    private readonly docs: Uint32Array,
  ) {}

  /** The documents having any of the keys `ids`, as a bitset of `words` words. */
  union(ids: readonly number[], words: number): DocBits {
    const bits = new Uint32Array(words);
    for (const id of ids) {
      const end = this.offsets[id + 1] as number;
      for (let i = this.offsets[id] as number; i < end; i++) {
        const doc = this.docs[i] as number;
        bits[doc >>> 5] = (bits[doc >>> 5] as number) | (1 << (doc & 31));
      }
    }
    return bits;
  }
}

class PostingsBuilder {
  private readonly ids = new Map<string, number>();
  private pairKeys: number[] = [];
  private pairDocs: number[] = [];

  add(key: string, doc: number): void {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
    }
    this.pairKeys.push(id);
    this.pairDocs.push(doc);
  }

  /** A counting sort of the (key, doc) pairs into posting lists. */
  finish(): Postings {
    const count = this.ids.size;
    const offsets = new Uint32Array(count + 1);
    for (const k of this.pairKeys) offsets[k + 1] = (offsets[k + 1] as number) + 1;
    for (let i = 0; i < count; i++) offsets[i + 1] = (offsets[i + 1] as number) + (offsets[i] as number);
    const next = offsets.slice(0, count);
    const docs = new Uint32Array(this.pairKeys.length);
    this.pairKeys.forEach((k, i) => {
      docs[next[k] as number] = this.pairDocs[i] as number;
      next[k] = (next[k] as number) + 1;
    });
    this.pairKeys = [];
    this.pairDocs = [];
    return new Postings([...this.ids.keys()], offsets, docs);
  }
}
