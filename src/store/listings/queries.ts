import type { Kysely } from "kysely";
import type { ArxivId, Category, DailyEntry, IsoDate, Paper } from "../../core/index.ts";
import { rowToDaily, rowToPaper } from "../rows.ts";
import type { Database } from "../schema.ts";
import { chunk } from "../tx.ts";

/** Reads the listings are assembled from. Each takes ids in chunks that fit the dialect's parameter limit. */
export class ListingQueries {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxParams: number,
  ) {}

  async latestDay(): Promise<IsoDate | null> {
    const row = await this.db
      .selectFrom("daily_entries")
      .select((eb) => eb.fn.max("day").as("day"))
      .executeTakeFirst();
    return (row?.day as IsoDate | null | undefined) ?? null;
  }

  async days(from: IsoDate | undefined, to: IsoDate | undefined, limit: number) {
    let q = this.db
      .selectFrom("daily_entries")
      .select(["day", (eb) => eb.fn.countAll().as("n")])
      .groupBy("day")
      .orderBy("day", "desc")
      .limit(limit);
    if (from) q = q.where("day", ">=", from);
    if (to) q = q.where("day", "<=", to);
    const rows = await q.execute();
    return rows.map((r) => ({ date: r.day as IsoDate, papers: Number(r.n) }));
  }

  /** The nearest day with entries strictly before `day` (or after, with `direction` "next"). */
  async neighbourDay(day: IsoDate, direction: "previous" | "next"): Promise<IsoDate | null> {
    const row = await this.db
      .selectFrom("daily_entries")
      .select((eb) => (direction === "previous" ? eb.fn.max("day") : eb.fn.min("day")).as("day"))
      .where("day", direction === "previous" ? "<" : ">", day)
      .executeTakeFirst();
    return (row?.day as IsoDate | null | undefined) ?? null;
  }

  /** Daily entries of the days in [start, end], optionally of papers in one category; hidden papers left out. */
  async entriesBetween(start: IsoDate, end: IsoDate, category?: Category): Promise<DailyEntry[]> {
    let q = this.db
      .selectFrom("daily_entries")
      .selectAll()
      .where("day", ">=", start)
      .where("day", "<=", end)
      .where("arxiv_id", "not in", (eb) => eb.selectFrom("hidden_papers").select("arxiv_id"))
      .orderBy("day")
      .orderBy("arxiv_id");
    if (category) {
      q = q.where("arxiv_id", "in", (eb) =>
        eb.selectFrom("paper_categories").select("arxiv_id").where("category", "=", category),
      );
    }
    return (await q.execute()).map(rowToDaily);
  }

  /** Every daily entry of the given papers. */
  async entriesOf(ids: readonly ArxivId[]): Promise<DailyEntry[]> {
    const out: DailyEntry[] = [];
    for (const part of chunk(ids, this.maxParams)) {
      const rows = await this.db
        .selectFrom("daily_entries")
        .selectAll()
        .where("arxiv_id", "in", part)
        .execute();
      for (const r of rows) out.push(rowToDaily(r));
    }
    return out;
  }

  /** What ranking needs of each paper without loading abstracts. */
  async rankingFields(
    ids: readonly ArxivId[],
  ): Promise<Map<ArxivId, { publishedAt: string | null; codeUrl: string | null }>> {
    const out = new Map<ArxivId, { publishedAt: string | null; codeUrl: string | null }>();
    for (const part of chunk(ids, this.maxParams)) {
      const rows = await this.db
        .selectFrom("papers")
        .select(["arxiv_id", "published_at", "code_url"])
        .where("arxiv_id", "in", part)
        .execute();
      for (const r of rows)
        out.set(r.arxiv_id as ArxivId, { publishedAt: r.published_at, codeUrl: r.code_url });
    }
    return out;
  }

  async papers(ids: readonly ArxivId[]): Promise<Map<ArxivId, Paper>> {
    const out = new Map<ArxivId, Paper>();
    for (const part of chunk(ids, this.maxParams)) {
      const rows = await this.db.selectFrom("papers").selectAll().where("arxiv_id", "in", part).execute();
      for (const r of rows) out.set(r.arxiv_id as ArxivId, rowToPaper(r));
    }
    return out;
  }

  /** Star history of many repositories (lower-case `owner/name`), ascending by time per repository. */
  async starHistories(
    repos: readonly string[],
  ): Promise<Map<string, { observedAt: string; stars: number }[]>> {
    const out = new Map<string, { observedAt: string; stars: number }[]>();
    for (const part of chunk(repos, this.maxParams)) {
      const rows = await this.db
        .selectFrom("star_history")
        .select(["repo", "observed_at", "stars"])
        .where("repo", "in", part)
        .orderBy("repo")
        .orderBy("observed_at")
        .execute();
      for (const r of rows) {
        const list = out.get(r.repo) ?? [];
        list.push({ observedAt: r.observed_at, stars: Number(r.stars) });
        out.set(r.repo, list);
      }
    }
    return out;
  }

  /** Ids of the papers of an author (by `authorKey`) or a category that were featured on a daily list. */
  async featuredOf(filter: PaperFilter): Promise<ArxivId[]> {
    const rows = await this.filtered(filter)
      .where("p.arxiv_id", "in", (eb) => eb.selectFrom("daily_entries").select("arxiv_id"))
      .select("p.arxiv_id")
      .execute();
    return rows.map((r) => r.arxiv_id as ArxivId);
  }

  async countOf(filter: PaperFilter): Promise<number> {
    const row = await this.filtered(filter)
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * A page of an author's or category's papers, newest first; `unfeaturedOnly` skips papers that were on a daily
   * list (they are ranked separately by activity).
   */
  async newestOf(
    filter: PaperFilter,
    offset: number,
    limit: number,
    unfeaturedOnly: boolean,
  ): Promise<ArxivId[]> {
    if (limit <= 0) return [];
    let q = this.filtered(filter)
      .select("p.arxiv_id")
      // Papers without a date sort last on both dialects (SQLite puts nulls first in descending order).
      .orderBy((eb) => eb.case().when("p.published_at", "is", null).then(1).else(0).end())
      .orderBy("p.published_at", "desc")
      .orderBy("p.arxiv_id", "desc")
      .offset(offset)
      .limit(limit);
    if (unfeaturedOnly) {
      q = q.where("p.arxiv_id", "not in", (eb) => eb.selectFrom("daily_entries").select("arxiv_id"));
    }
    return (await q.execute()).map((r) => r.arxiv_id as ArxivId);
  }

  /** Papers of an author or category, without those an admin hid. */
  private filtered(filter: PaperFilter) {
    const base = this.db
      .selectFrom("papers as p")
      .where("p.arxiv_id", "not in", (eb) => eb.selectFrom("hidden_papers").select("arxiv_id"));
    if (filter.kind === "author") {
      return base.where("p.arxiv_id", "in", (eb) =>
        eb.selectFrom("paper_authors").select("arxiv_id").where("name_key", "=", filter.key),
      );
    }
    return base.where("p.arxiv_id", "in", (eb) =>
      eb.selectFrom("paper_categories").select("arxiv_id").where("category", "=", filter.category),
    );
  }
}

export type PaperFilter = { kind: "author"; key: string } | { kind: "category"; category: Category };
