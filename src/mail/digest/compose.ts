/**
 * What a subscriber's digest holds for one period: the sections their subscription asks for, read from the
 * store, assembled so that no paper appears twice and no recommendation repeats an earlier digest's.
 */
import {
  assembleDigest,
  type DigestContent,
  type DigestContents,
  type DigestSection,
  MAX_SECTION_ITEMS,
} from "../../core/digest.ts";
import type { IsoDate, Paper } from "../../core/index.ts";
import { type Recommendation, RecommendationCorpus, type Signal } from "../../search/recommend.ts";
import type { Store } from "../../store/store.ts";

/** Days of new papers the recommendation candidates are drawn from. */
export const CANDIDATE_DAYS = 14;
/** Most candidates per run (newest first). */
export const MAX_CANDIDATES = 2_000;

const PER_SECTION = 10;

/** Recent papers (published in the last CANDIDATE_DAYS before `now`), newest first, for recommendations. */
export async function recentPapers(store: Store, now: Date, max = MAX_CANDIDATES): Promise<Paper[]> {
  const since = new Date(now.getTime() - CANDIDATE_DAYS * 86_400_000).toISOString().slice(0, 10) as IsoDate;
  const until = now.toISOString().slice(0, 10) as IsoDate;
  const out: Paper[] = [];
  for (let offset = 0; offset < max; offset += 100) {
    const page = await store.search.filter({ filters: { since, until }, sort: "date", offset, limit: 100 });
    out.push(...page.hits.map((h) => h.paper));
    if (page.hits.length < 100) break;
  }
  return out.slice(0, max);
}

/** A member's signals: upvotes and library items (positive), "not interested" (negative). */
export async function readerSignals(store: Store, userId: string): Promise<Signal[]> {
  const [votes, library, dismissed] = await Promise.all([
    store.community.votesOf(userId, 200),
    store.community.library(userId, { limit: 200 }),
    store.digests.dismissed(userId),
  ]);
  const ids = [
    ...new Set([...votes.map((v) => v.paperId), ...library.items.map((i) => i.paperId), ...dismissed]),
  ];
  const papers = new Map((await store.getPapers(ids as Paper["id"][])).map((p) => [p.id as string, p]));
  const signals: Signal[] = [];
  const negative = new Set(dismissed);
  for (const item of library.items) {
    const paper = papers.get(item.paperId);
    if (paper && !negative.has(paper.id)) signals.push({ paper, kind: "saved", tags: item.tags });
  }
  const saved = new Set(library.items.map((i) => i.paperId as string));
  for (const v of votes) {
    const paper = papers.get(v.paperId);
    if (paper && !saved.has(paper.id) && !negative.has(paper.id)) signals.push({ paper, kind: "upvoted" });
  }
  for (const id of dismissed) {
    const paper = papers.get(id);
    if (paper) signals.push({ paper, kind: "not-interested" });
  }
  return signals;
}

/** The "For you" list: the same model and exclusions a digest uses. */
export async function recommendFor(
  store: Store,
  corpus: RecommendationCorpus,
  userId: string,
  limit = PER_SECTION,
): Promise<Recommendation[]> {
  const [signals, suggested, dismissed] = await Promise.all([
    readerSignals(store, userId),
    store.digests.suggested(userId),
    store.digests.dismissed(userId),
  ]);
  return corpus.recommend(signals, new Set([...suggested, ...dismissed]), limit);
}

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
        const found = await store.search.search({
          text: search.q,
          filters,
          sort: "date",
          limit: PER_SECTION,
        });
        return {
          kind: "search",
          title: `New for your search “${search.q}”`,
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
  return assembleDigest(sections, new Set());
}

export { RecommendationCorpus };
