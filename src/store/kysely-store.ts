import { type Kysely, Migrator, sql } from "kysely";
import {
  type ArxivId,
  type DailyEntry,
  type DailyEntryRecord,
  type IsoDate,
  type IsoTimestamp,
  mergeDailyEntry,
  mergePaper,
  type Paper,
  toTimestamp,
} from "../core/index.ts";
import { migrationProvider } from "./migrations.ts";
import {
  authorRows,
  categoryRows,
  dailyToRow,
  paperToRow,
  rowToDaily,
  rowToPaper,
  sourceRows,
} from "./rows.ts";
import type { Database, PapersTable } from "./schema.ts";
import type {
  Dialect,
  IngestBatch,
  IngestResult,
  IterateOptions,
  OutcomeCounts,
  Store,
  StoreStats,
} from "./store.ts";

/** What differs between the dialects; everything else is shared Kysely code. */
export interface DialectOps {
  readonly dialect: Dialect;
  /** Opens a write transaction on `conn` that serialises with every other writer of the same database. */
  beginWrite(conn: Kysely<Database>): Promise<void>;
  /** Largest number of bound parameters one statement may carry. */
  readonly maxParams: number;
}

const PAPER_COLUMNS = [
  "title",
  "abstract",
  "authors_json",
  "categories_json",
  "primary_category",
  "versions_json",
  "latest_version",
  "comments",
  "journal_ref",
  "doi",
  "report_no",
  "license",
  "published_at",
  "code_url",
  "project_url",
  "github_stars",
  "ai_summary",
  "ai_keywords_json",
  "enriched_at",
  "stars_observed_at",
  "sources_json",
  "first_seen_at",
  "last_updated_at",
] as const satisfies readonly (keyof PapersTable)[];

const DAILY_COLUMNS = [
  "source",
  "submitter_json",
  "organization_json",
  "upvotes",
  "num_comments",
  "first_seen_at",
  "last_updated_at",
] as const;

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const emptyCounts = (): OutcomeCounts => ({ added: 0, updated: 0, unchanged: 0 });

export class KyselyStore implements Store {
  readonly dialect: Dialect;

  constructor(
    protected readonly db: Kysely<Database>,
    private readonly ops: DialectOps,
  ) {
    this.dialect = ops.dialect;
  }

  async migrate(): Promise<string[]> {
    const migrator = new Migrator({ db: this.db, provider: migrationProvider });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error;
    return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  }

  /** Runs `fn` in a write transaction that commits when it resolves and rolls back when it throws. */
  protected async write<T>(fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.connection().execute(async (conn) => {
      await this.ops.beginWrite(conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        await sql`rollback`.execute(conn);
        throw error;
      }
    });
  }

  private rowsPerStatement(columns: number): number {
    return Math.max(1, Math.floor(this.ops.maxParams / columns));
  }

  async ingest(batch: IngestBatch, now: IsoTimestamp = toTimestamp(new Date())): Promise<IngestResult> {
    const result: IngestResult = { papers: emptyCounts(), daily: emptyCounts(), rejectedDaily: [] };
    const daily = batch.daily ?? [];
    if (batch.papers.length === 0 && daily.length === 0) return result;

    return this.write(async (conn) => {
      const ids = [...new Set(batch.papers.map((p) => p.id))];
      const current = new Map<string, Paper>();
      for (const paper of await this.readPapers(conn, ids)) current.set(paper.id, paper);

      // Each record is merged against the state left by the records before it, so a paper that appears twice
      // in one batch counts once as added and then as unchanged or updated, exactly as in two batches.
      const changed = new Map<string, Paper>();
      for (const record of batch.papers) {
        const { paper, outcome } = mergePaper(current.get(record.id) ?? null, record, now);
        result.papers[outcome]++;
        if (outcome !== "unchanged") changed.set(paper.id, paper);
        current.set(paper.id, paper);
      }
      await this.writePapers(conn, [...changed.values()]);

      if (daily.length > 0) await this.ingestDaily(conn, daily, current, now, result);
      return result;
    });
  }

  private async ingestDaily(
    conn: Kysely<Database>,
    records: readonly DailyEntryRecord[],
    knownPapers: Map<string, Paper>,
    now: IsoTimestamp,
    result: IngestResult,
  ): Promise<void> {
    const unknownIds = [...new Set(records.map((r) => r.paperId).filter((id) => !knownPapers.has(id)))];
    const stored = new Set<string>();
    for (const ids of chunk(unknownIds, this.ops.maxParams)) {
      const rows = await conn.selectFrom("papers").select("arxiv_id").where("arxiv_id", "in", ids).execute();
      for (const r of rows) stored.add(r.arxiv_id);
    }

    const existing = new Map<string, DailyEntry>();
    const days = [...new Set(records.map((r) => r.date))];
    const paperIds = [...new Set(records.map((r) => r.paperId))];
    for (const ids of chunk(paperIds, this.ops.maxParams - days.length)) {
      const rows = await conn
        .selectFrom("daily_entries")
        .selectAll()
        .where("day", "in", days)
        .where("arxiv_id", "in", ids)
        .execute();
      for (const row of rows) existing.set(`${row.day}|${row.arxiv_id}`, rowToDaily(row));
    }

    const changed = new Map<string, DailyEntry>();
    for (const record of records) {
      if (!knownPapers.has(record.paperId) && !stored.has(record.paperId)) {
        result.rejectedDaily.push({ entry: record, reason: `paper ${record.paperId} is not in the store` });
        continue;
      }
      const key = `${record.date}|${record.paperId}`;
      const { entry, outcome } = mergeDailyEntry(existing.get(key) ?? null, record, now);
      result.daily[outcome]++;
      if (outcome !== "unchanged") changed.set(key, entry);
      existing.set(key, entry);
    }

    const rows = [...changed.values()].map(dailyToRow);
    for (const part of chunk(rows, this.rowsPerStatement(DAILY_COLUMNS.length + 2))) {
      await conn
        .insertInto("daily_entries")
        .values(part)
        .onConflict((oc) =>
          oc.columns(["day", "arxiv_id"]).doUpdateSet((eb) => {
            const set: Record<string, unknown> = {};
            for (const c of DAILY_COLUMNS) set[c] = eb.ref(`excluded.${c}`);
            return set;
          }),
        )
        .execute();
    }
  }

  private async readPapers(conn: Kysely<Database>, ids: readonly string[]): Promise<Paper[]> {
    const out: Paper[] = [];
    for (const part of chunk(ids, this.ops.maxParams)) {
      const rows = await conn.selectFrom("papers").selectAll().where("arxiv_id", "in", part).execute();
      for (const row of rows) out.push(rowToPaper(row));
    }
    return out;
  }

  private async writePapers(conn: Kysely<Database>, papers: readonly Paper[]): Promise<void> {
    if (papers.length === 0) return;
    for (const part of chunk(papers.map(paperToRow), this.rowsPerStatement(PAPER_COLUMNS.length + 1))) {
      await conn
        .insertInto("papers")
        .values(part)
        .onConflict((oc) =>
          oc.column("arxiv_id").doUpdateSet((eb) => {
            const set: Record<string, unknown> = {};
            for (const c of PAPER_COLUMNS) set[c] = eb.ref(`excluded.${c}`);
            return set;
          }),
        )
        .execute();
    }
    // The lookup tables are rebuilt for the papers that changed.
    const ids = papers.map((p) => p.id);
    for (const part of chunk(ids, this.ops.maxParams)) {
      await conn.deleteFrom("paper_authors").where("arxiv_id", "in", part).execute();
      await conn.deleteFrom("paper_categories").where("arxiv_id", "in", part).execute();
      await conn.deleteFrom("paper_sources").where("arxiv_id", "in", part).execute();
    }
    const authors = papers.flatMap(authorRows);
    for (const part of chunk(authors, this.rowsPerStatement(4))) {
      await conn.insertInto("paper_authors").values(part).execute();
    }
    const categories = papers.flatMap(categoryRows);
    for (const part of chunk(categories, this.rowsPerStatement(3))) {
      await conn.insertInto("paper_categories").values(part).execute();
    }
    const sources = papers.flatMap(sourceRows);
    for (const part of chunk(sources, this.rowsPerStatement(2))) {
      await conn.insertInto("paper_sources").values(part).execute();
    }
  }

  async getPaper(id: ArxivId): Promise<Paper | null> {
    const row = await this.db.selectFrom("papers").selectAll().where("arxiv_id", "=", id).executeTakeFirst();
    return row ? rowToPaper(row) : null;
  }

  async getPapers(ids: readonly ArxivId[]): Promise<Paper[]> {
    const byId = new Map((await this.readPapers(this.db, ids)).map((p) => [p.id as string, p]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async *iteratePapers(options: IterateOptions = {}): AsyncIterable<Paper> {
    const size = options.batchSize ?? 1000;
    let after: string | null = null;
    for (;;) {
      let q = this.db.selectFrom("papers").selectAll().orderBy("arxiv_id").limit(size);
      if (after !== null) q = q.where("arxiv_id", ">", after);
      const rows = await q.execute();
      for (const row of rows) yield rowToPaper(row);
      if (rows.length < size) return;
      after = rows[rows.length - 1]?.arxiv_id ?? null;
    }
  }

  async *iterateDailyEntries(options: IterateOptions = {}): AsyncIterable<DailyEntry> {
    const size = options.batchSize ?? 1000;
    let after: { day: string; id: string } | null = null;
    for (;;) {
      let q = this.db.selectFrom("daily_entries").selectAll().orderBy("day").orderBy("arxiv_id").limit(size);
      if (after !== null) {
        const { day, id } = after;
        q = q.where((eb) =>
          eb.or([eb("day", ">", day), eb.and([eb("day", "=", day), eb("arxiv_id", ">", id)])]),
        );
      }
      const rows = await q.execute();
      for (const row of rows) yield rowToDaily(row);
      const last = rows[rows.length - 1];
      if (rows.length < size || !last) return;
      after = { day: last.day, id: last.arxiv_id };
    }
  }

  async dailyEntries(day: IsoDate): Promise<DailyEntry[]> {
    const rows = await this.db
      .selectFrom("daily_entries")
      .selectAll()
      .where("day", "=", day)
      .orderBy("upvotes", "desc")
      .orderBy("arxiv_id")
      .execute();
    return rows.map(rowToDaily);
  }

  async stats(): Promise<StoreStats> {
    const papers = await this.db
      .selectFrom("papers")
      .select((eb) => [
        eb.fn.countAll().as("n"),
        eb.fn.max("published_at").as("newest"),
        eb.fn.max("last_updated_at").as("updated"),
      ])
      .executeTakeFirstOrThrow();
    const daily = await this.db
      .selectFrom("daily_entries")
      .select((eb) => [
        eb.fn.countAll().as("n"),
        eb.fn.count("day").distinct().as("days"),
        eb.fn.max("day").as("newest"),
        eb.fn.min("day").as("oldest"),
      ])
      .executeTakeFirstOrThrow();
    const bySource = await this.db
      .selectFrom("paper_sources")
      .select(["source", (eb) => eb.fn.countAll().as("n")])
      .groupBy("source")
      .orderBy("source")
      .execute();
    return {
      papers: Number(papers.n),
      dailyEntries: Number(daily.n),
      dailyDays: Number(daily.days),
      papersBySource: Object.fromEntries(bySource.map((r) => [r.source, Number(r.n)])),
      newestPublishedAt: (papers.newest as IsoTimestamp | null) ?? null,
      newestDailyDate: (daily.newest as IsoDate | null) ?? null,
      oldestDailyDate: (daily.oldest as IsoDate | null) ?? null,
      lastUpdatedAt: (papers.updated as IsoTimestamp | null) ?? null,
    };
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
