/**
 * What a subscriber's digest holds for one period: the sections their subscription asks for, read from the
 * store (recommendations from src/search/recommend), assembled so that no paper appears twice and no
 * recommendation repeats an earlier digest's.
 */
import {
  assembleDigest,
  type DigestContent,
  type DigestContents,
  type DigestSection,
  MAX_SECTION_ITEMS,
} from "../../core/digest.ts";
import type { IsoDate } from "../../core/index.ts";
import { type RecommendationCorpus, recommendFor } from "../../search/recommend/index.ts";
import type { Store } from "../../store/store.ts";

const PER_SECTION = 10;

function day(d: Date): IsoDate {
  return d.toISOString().slice(0, 10) as IsoDate;
}

export interface ComposeInput {
  contents: DigestContents;
  userId: string | null;
  /** The period covered: [since, until]. */
  since: Date;
  until: Date;
  /** Built once per run; null leaves recommendations out. */
  corpus: RecommendationCorpus | null;
  /**
   * Sections that are the same for every reader of a period (trending, a search, a category, an author),
   * shared across a run so thousands of digests do not repeat one query. Bounded by the caller.
   */
  shared?: Map<string, Promise<DigestSection>>;
}

/** Most shared sections a run keeps; past it the map is cleared (periods move on, memory stays flat). */
const MAX_SHARED = 2_000;

function sharedSection(
  input: ComposeInput,
  key: string,
  build: () => Promise<DigestSection>,
): Promise<DigestSection> {
  const cache = input.shared;
  if (!cache) return build();
  let section = cache.get(key);
  if (!section) {
    if (cache.size >= MAX_SHARED) cache.clear();
    section = build();
    // A failed query is not kept: the next digest asks again.
    section.catch(() => cache.delete(key));
    cache.set(key, section);
  }
  return section;
}

export async function composeDigest(store: Store, input: ComposeInput): Promise<DigestContent> {
  const { contents } = input;
  const filters = { since: day(input.since), until: day(input.until) };
  const sections: DigestSection[] = [];

  if (input.userId && contents.recommendations && input.corpus) {
    const recs = await recommendFor(store, input.corpus, input.userId, PER_SECTION);
    sections.push({
      kind: "recommended",
      title: "Recommended for you",
      items: recs.map((r) => ({ paperId: r.paper.id, reason: r.reason, terms: r.terms })),
    });
  }
  const window = `${input.since.toISOString()}/${input.until.toISOString()}`;
  if (contents.trending > 0) {
    const n = Math.min(MAX_SECTION_ITEMS, contents.trending);
    sections.push(
      await sharedSection(input, `trending:${input.until.toISOString()}:${n}`, async () => {
        const trending = await store.listings.trending({ now: input.until, perPage: n });
        return {
          kind: "trending",
          title: "Trending",
          items: trending.items.map((i) => ({
            paperId: i.paper.id,
            reason: `${i.upvotes} upvote${i.upvotes === 1 ? "" : "s"}`,
            terms: [],
          })),
        };
      }),
    );
  }
  for (const search of contents.searches) {
    sections.push(
      await sharedSection(input, `search:${window}:${search.q}`, async () => {
        // Newest first, so only papers with every word: the newest paper with one of them is seldom the topic.
        const found = await store.search.search({
          text: search.q,
          filters,
          sort: "date",
          match: "all",
          limit: PER_SECTION,
        });
        return {
          kind: "search",
          title: `New for your search “${search.q}”`,
          since: filters.since,
          items: found.hits.map((h) => ({ paperId: h.paper.id, reason: `Matches “${search.q}”`, terms: [] })),
        };
      }),
    );
  }
  for (const category of contents.categories) {
    sections.push(
      await sharedSection(input, `category:${window}:${category}`, async () => {
        const found = await store.search.filter({
          filters: { ...filters, categories: [category] },
          sort: "date",
          limit: PER_SECTION,
        });
        return {
          kind: "category",
          title: `New in ${category}`,
          since: filters.since,
          items: found.hits.map((h) => ({
            paperId: h.paper.id,
            reason: `In ${category}, which you follow`,
            terms: [],
          })),
        };
      }),
    );
  }
  for (const author of contents.authors) {
    sections.push(
      await sharedSection(input, `author:${window}:${author}`, async () => {
        const found = await store.search.filter({
          filters: { ...filters, authors: [author] },
          sort: "date",
          limit: PER_SECTION,
        });
        return {
          kind: "author",
          title: `New by ${author}`,
          since: filters.since,
          items: found.hits.map((h) => ({
            paperId: h.paper.id,
            reason: `By ${author}, whom you follow`,
            terms: [],
          })),
        };
      }),
    );
  }
  // recommendFor already left out papers suggested before; no other section is held to that rule.
  return { ...assembleDigest(sections, new Set()), since: filters.since };
}
