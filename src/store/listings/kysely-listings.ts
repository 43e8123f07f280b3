import {
  type ArxivId,
  authorKey,
  type Category,
  type DailyEntry,
  type IsoDate,
  ValidationError,
} from "../../core/index.ts";
import { type TrendingParams, trendingParams } from "../../core/trending.ts";
import type { RepoContext } from "../repo.ts";
import { type ListingSnapshot, SnapshotSource } from "./cache.ts";
import { addDays, keyOf, periodRange } from "./periods.ts";
import { ListingQueries, type PaperFilter } from "./queries.ts";
import { type Candidate, largestEntry, scoreCandidates, sortCandidates } from "./rank.ts";
import type {
  DayCount,
  ListedPaper,
  Listing,
  ListingOptions,
  ListingSort,
  Listings,
  LocalActivitySource,
  PaperActivity,
  Period,
  PeriodListing,
  PeriodOptions,
  PeriodRange,
  TrendingListing,
  TrendingOptions,
} from "./types.ts";
import { versionProbe } from "./version.ts";

const DAY_MS = 86_400_000;
const DEFAULT_PER_PAGE = 50;
const MAX_PER_PAGE = 100;

function pageOf(options: { page?: number; perPage?: number }): { page: number; perPage: number } {
  const page = options.page ?? 1;
  const perPage = options.perPage ?? DEFAULT_PER_PAGE;
  if (!Number.isInteger(page) || page < 1) throw new RangeError(`page must be an integer >= 1 (got ${page})`);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    throw new RangeError(`perPage must be an integer in 1..${MAX_PER_PAGE} (got ${perPage})`);
  }
  return { page, perPage };
}

/** The day after `date` at 00:00 UTC: the end of that day. */
function endOf(date: IsoDate): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS);
}

function earlier(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

/**
 * `store.listings` over Kysely. Lists are small (a day has tens of papers, a month hundreds, a trending window
 * a few hundred), so candidates are read once and ranked in process by the same pure functions on both
 * dialects; only author and category pages, which can be large, page their unfeatured papers in SQL.
 *
 * Reads go through a snapshot of the database's current version (cache.ts, version.ts): until something is
 * written, a list's entries, activity, papers and star histories are read once, and each request only checks
 * the version and ranks again (scores depend on the clock, so ranking is never cached).
 */
export class KyselyListings implements Listings {
  private readonly q: ListingQueries;
  private readonly snapshots: SnapshotSource;

  constructor(ctx: RepoContext, local: LocalActivitySource | null) {
    this.q = new ListingQueries(ctx.db, ctx.maxParams);
    this.snapshots = new SnapshotSource(versionProbe(ctx), this.q, local);
  }

  async version(): Promise<string | null> {
    return (await this.snapshots.current()).version;
  }

  async latestDay(): Promise<IsoDate | null> {
    return (await this.snapshots.current()).latestDay();
  }

  async days(range: { from?: IsoDate; to?: IsoDate; limit?: number } = {}): Promise<DayCount[]> {
    const limit = range.limit ?? 1000;
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be an integer >= 1 (got ${limit})`);
    return this.q.days(range.from, range.to, limit);
  }

  async activity(ids: readonly ArxivId[]): Promise<Map<ArxivId, PaperActivity>> {
    const known = await (await this.snapshots.current()).activity([...new Set(ids)]);
    // Copies: the snapshot's records are shared with other requests.
    return new Map([...known].map(([id, a]) => [id, { ...a, featuredOn: [...a.featuredOn] }]));
  }

  async period(period: Period | null, options: PeriodOptions = {}): Promise<PeriodListing> {
    const { page, perPage } = pageOf(options);
    const sort = options.sort ?? "top";
    const s = await this.snapshots.current();
    const latest = period ? null : await s.latestDay();
    const range: PeriodRange = periodRange(
      period ?? {
        kind: "day",
        date: latest ?? ((options.now ?? new Date()).toISOString().slice(0, 10) as IsoDate),
      },
    );
    let entries = await s.entriesBetween(range.start, range.end, options.category);
    const submitter = options.submitter?.trim().toLowerCase();
    if (submitter) entries = entries.filter((e) => e.submitter?.name.toLowerCase() === submitter);
    const periodEntries = groupLargest(entries);
    const at = earlier(options.now ?? new Date(), endOf(range.end));
    const ranked = await this.rank(s, [...periodEntries.keys()], sort, at, trendingParams());
    const items = await this.present(s, ranked.slice((page - 1) * perPage, page * perPage));
    // The list shows the period's own entry (its day and submitter); counts stay the paper's overall ones.
    for (const item of items) item.entry = periodEntries.get(item.paper.id) ?? item.entry;
    const [previous, next] = await Promise.all([
      s.neighbourDay(range.start, "previous"),
      s.neighbourDay(range.end, "next"),
    ]);
    return {
      items,
      total: ranked.length,
      page,
      perPage,
      sort,
      range,
      previous: previous ? keyOf(range.kind, previous) : null,
      next: next ? keyOf(range.kind, next) : null,
    };
  }

  async trending(options: TrendingOptions = {}): Promise<TrendingListing> {
    const { page, perPage } = pageOf(options);
    const params = trendingParams(options.params);
    const s = await this.snapshots.current();
    const latest = await s.latestDay();
    const now = options.now ?? new Date();
    // A site whose syncs stopped still shows what was trending when its lists end, not an empty page.
    const at = latest ? earlier(now, endOf(latest)) : now;
    const end = new Date(at.getTime() - 1).toISOString().slice(0, 10) as IsoDate;
    const start = addDays(end, -(params.windowDays - 1));
    const entries = await s.entriesBetween(start, end, options.category);
    const ranked = await this.rank(s, [...new Set(entries.map((e) => e.paperId))], "trending", at, params);
    return {
      items: await this.present(s, ranked.slice((page - 1) * perPage, page * perPage)),
      total: ranked.length,
      page,
      perPage,
      sort: "trending",
      at,
      window: { start, end },
      params,
    };
  }

  async byAuthor(name: string, options: ListingOptions = {}): Promise<Listing> {
    const key = authorKey(name);
    if (key === "") throw new ValidationError("invalid_record", "an author name needs letters or digits");
    return this.filtered({ kind: "author", key }, options);
  }

  byCategory(category: Category, options: ListingOptions = {}): Promise<Listing> {
    return this.filtered({ kind: "category", category }, options);
  }

  /**
   * Newest pages straight from SQL. Top and trending rank the featured papers (the only ones with activity
   * beyond local votes) first, then the rest newest first, so totals and paging cover every paper.
   */
  private async filtered(filter: PaperFilter, options: ListingOptions): Promise<Listing> {
    const { page, perPage } = pageOf(options);
    const sort = options.sort ?? "newest";
    const at = options.now ?? new Date();
    const s = await this.snapshots.current();
    const total = await s.countOf(filter);
    const offset = (page - 1) * perPage;
    let ids: ArxivId[];
    if (sort === "newest") {
      ids = await s.newestOf(filter, offset, perPage, false);
    } else {
      const featured = await this.rank(s, await s.featuredOf(filter), sort, at, trendingParams());
      ids = featured.slice(offset, offset + perPage).map((c) => c.id);
      const rest = await s.newestOf(
        filter,
        Math.max(0, offset - featured.length),
        perPage - ids.length,
        true,
      );
      ids.push(...rest);
    }
    const candidates = await this.candidates(s, ids, at, trendingParams());
    const byId = new Map(candidates.map((c) => [c.id as string, c]));
    return {
      items: await this.present(
        s,
        ids.flatMap((id) => byId.get(id) ?? []),
      ),
      total,
      page,
      perPage,
      sort,
    };
  }

  private async rank(
    s: ListingSnapshot,
    ids: readonly ArxivId[],
    sort: ListingSort,
    at: Date,
    params: TrendingParams,
  ): Promise<Candidate[]> {
    return sortCandidates(await this.candidates(s, ids, at, params), sort);
  }

  /** Activity, publication date, stars gained and score of each paper, in the order given. */
  private async candidates(
    s: ListingSnapshot,
    ids: readonly ArxivId[],
    at: Date,
    params: TrendingParams,
  ): Promise<Candidate[]> {
    const [activity, fields] = await Promise.all([s.activity(ids), s.rankingFields(ids)]);
    const repoOf = new Map<ArxivId, string | null>();
    const repos = new Set<string>();
    const out: Candidate[] = [];
    for (const id of ids) {
      const f = fields.get(id);
      const a = activity.get(id);
      if (!f || !a) continue;
      repoOf.set(id, f.repo);
      if (f.repo) repos.add(f.repo);
      out.push({ ...a, id, publishedAt: f.publishedAt, starsGained: 0, score: 0 });
    }
    scoreCandidates(out, repoOf, await s.starHistories([...repos]), at, params);
    return out;
  }

  private async present(s: ListingSnapshot, candidates: readonly Candidate[]): Promise<ListedPaper[]> {
    const papers = await s.papers(candidates.map((c) => c.id));
    return candidates.flatMap((c) => {
      const paper = papers.get(c.id);
      if (!paper) return [];
      const { id: _id, publishedAt: _published, ...rest } = c;
      return [{ ...rest, paper }];
    });
  }
}

/** A period's largest entry per paper (the rule of `largestEntry`), in order of first appearance. */
function groupLargest(entries: readonly DailyEntry[]): Map<ArxivId, DailyEntry> {
  const out = new Map<ArxivId, DailyEntry>();
  for (const e of entries) {
    const best = out.get(e.paperId);
    out.set(e.paperId, best ? (largestEntry([best, e]) ?? e) : e);
  }
  return out;
}
