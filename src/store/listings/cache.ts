import type { ArxivId, Category, DailyEntry, IsoDate, Paper } from "../../core/index.ts";
import type { ListingQueries, PaperFilter } from "./queries.ts";
import { foldActivity, starRepoOf } from "./rank.ts";
import type { LocalActivitySource, PaperActivity } from "./types.ts";
import type { VersionProbe } from "./version.ts";

/** What ranking reads of a paper besides its activity. */
export interface RankingFields {
  publishedAt: string | null;
  /** The lower-case GitHub `owner/name` of its code link (`starRepoOf`), parsed once per snapshot. */
  repo: string | null;
}

export type StarPoint = { observedAt: string; stars: number };

/** Bounds on what one snapshot remembers; a map that outgrows its bound starts over. */
const LIMITS = {
  /** Full papers (a few KB each, abstracts included): a month's list and a trending window fit many times. */
  papers: 5_000,
  /** Small per-paper and per-repository records. */
  perPaper: 100_000,
  /** Day ranges, neighbour lookups and author or category queries. */
  queries: 2_000,
};

function remember<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  if (map.size >= limit) map.clear();
  map.set(key, value);
}

/**
 * The listings' reads as of one database version. Every value it holds was read after that version was
 * observed, so it is at least as new as the version says; when the version moves, a new snapshot starts empty
 * (`SnapshotSource.current`). A request keeps the snapshot it began with, so reads finishing after a change
 * land in a snapshot nobody will start from again. Values are shared between requests: read-only.
 */
export class ListingSnapshot {
  private latest: { day: IsoDate | null } | null = null;
  private readonly ranges = new Map<string, readonly DailyEntry[]>();
  private readonly neighbours = new Map<string, IsoDate | null>();
  private readonly activities = new Map<ArxivId, PaperActivity>();
  private readonly fields = new Map<ArxivId, RankingFields | null>();
  private readonly stars = new Map<string, readonly StarPoint[]>();
  private readonly paperRows = new Map<ArxivId, Paper | null>();
  private readonly filters = new Map<string, unknown>();

  constructor(
    readonly version: string | null,
    private readonly q: ListingQueries,
    private readonly local: LocalActivitySource | null,
  ) {}

  async latestDay(): Promise<IsoDate | null> {
    this.latest ??= { day: await this.q.latestDay() };
    return this.latest.day;
  }

  async entriesBetween(start: IsoDate, end: IsoDate, category?: Category): Promise<readonly DailyEntry[]> {
    const key = `${start}|${end}|${category ?? ""}`;
    let entries = this.ranges.get(key);
    if (!entries) {
      entries = await this.q.entriesBetween(start, end, category);
      remember(this.ranges, key, entries, LIMITS.queries);
    }
    return entries;
  }

  async neighbourDay(day: IsoDate, direction: "previous" | "next"): Promise<IsoDate | null> {
    const key = `${day}|${direction}`;
    const known = this.neighbours.get(key);
    if (known !== undefined) return known;
    const found = await this.q.neighbourDay(day, direction);
    remember(this.neighbours, key, found, LIMITS.queries);
    return found;
  }

  /** Activity of each distinct id (unknown ids get zero counts), reading only the ids not yet known. */
  activity(ids: readonly ArxivId[]): Promise<Map<ArxivId, PaperActivity>> {
    return this.many(ids, this.activities, LIMITS.perPaper, async (missing) =>
      foldActivity(missing, await this.q.entriesOf(missing), this.local),
    );
  }

  rankingFields(ids: readonly ArxivId[]): Promise<Map<ArxivId, RankingFields>> {
    return this.many(ids, this.fields, LIMITS.perPaper, async (missing) => {
      const read = await this.q.rankingFields(missing);
      const out = new Map<ArxivId, RankingFields>();
      for (const [id, f] of read) out.set(id, { publishedAt: f.publishedAt, repo: starRepoOf(f.codeUrl) });
      return out;
    });
  }

  /** Star history per repository (empty without observations). */
  async starHistories(repos: readonly string[]): Promise<Map<string, readonly StarPoint[]>> {
    return this.many(repos, this.stars, LIMITS.perPaper, async (missing) => {
      const read = await this.q.starHistories(missing);
      return new Map(missing.map((repo) => [repo, read.get(repo) ?? []]));
    });
  }

  papers(ids: readonly ArxivId[]): Promise<Map<ArxivId, Paper>> {
    return this.many(ids, this.paperRows, LIMITS.papers, (missing) => this.q.papers(missing));
  }

  countOf(filter: PaperFilter): Promise<number> {
    return this.memo(`count|${filterKey(filter)}`, () => this.q.countOf(filter));
  }

  featuredOf(filter: PaperFilter): Promise<ArxivId[]> {
    return this.memo(`featured|${filterKey(filter)}`, () => this.q.featuredOf(filter));
  }

  newestOf(filter: PaperFilter, offset: number, limit: number, unfeaturedOnly: boolean): Promise<ArxivId[]> {
    return this.memo(`newest|${filterKey(filter)}|${offset}|${limit}|${unfeaturedOnly}`, () =>
      this.q.newestOf(filter, offset, limit, unfeaturedOnly),
    );
  }

  private async memo<T>(key: string, read: () => Promise<T>): Promise<T> {
    if (this.filters.has(key)) return this.filters.get(key) as T;
    const value = await read();
    remember(this.filters, key, value, LIMITS.queries);
    return value;
  }

  /**
   * The values of `keys`, in their order: those this snapshot knows, plus one read for the rest. A key the read
   * does not return is remembered as absent, so unknown ids are not asked for again.
   */
  private async many<K, V>(
    keys: readonly K[],
    map: Map<K, V | null>,
    limit: number,
    read: (missing: K[]) => Promise<Map<K, V>>,
  ): Promise<Map<K, V>> {
    const out = new Map<K, V>();
    const missing = new Set<K>();
    for (const key of keys) {
      const value = map.get(key);
      if (value === undefined) missing.add(key);
      else if (value !== null) out.set(key, value);
    }
    if (missing.size === 0) return out;
    const got = await read([...missing]);
    for (const key of missing) remember(map, key, got.get(key) ?? null, limit);
    // Keep the callers' order: known and freshly read values interleave as the keys did.
    const ordered = new Map<K, V>();
    for (const key of keys) {
      const value = out.get(key) ?? got.get(key);
      if (value !== undefined) ordered.set(key, value);
    }
    return ordered;
  }
}

function filterKey(filter: PaperFilter): string {
  return filter.kind === "author" ? `author|${filter.key}` : `category|${filter.category}`;
}

/**
 * Hands out the snapshot of the database's current version: one probe per call, and a fresh snapshot when the
 * version moved. Without a version (the probe cannot tell), every call gets a fresh, private snapshot.
 */
export class SnapshotSource {
  private snapshot: ListingSnapshot | null = null;

  constructor(
    private readonly probe: VersionProbe,
    private readonly q: ListingQueries,
    private readonly local: LocalActivitySource | null,
  ) {}

  async current(): Promise<ListingSnapshot> {
    const version = await this.probe();
    if (version === null) return new ListingSnapshot(null, this.q, this.local);
    if (this.snapshot?.version !== version) this.snapshot = new ListingSnapshot(version, this.q, this.local);
    return this.snapshot;
  }
}
