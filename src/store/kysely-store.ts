import { type Kysely, Migrator } from "kysely";
import {
  type ArxivId,
  type DailyEntry,
  type DailyEntryRecord,
  type IsoDate,
  type IsoTimestamp,
  type Job,
  type JobState,
  mergeDailyEntry,
  mergePaper,
  type NewJob,
  type Paper,
  type SourceState,
  toTimestamp,
} from "../core/index.ts";
import { claimNextJob, finishJob, insertJob, type JobOutcome, renewLease, rowToJob } from "./jobs.ts";
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
import {
  readSourceState,
  rowToSourceState,
  type SourceStateUpdate,
  writeSourceState,
} from "./source-state.ts";
import type {
  Announcement,
  Dialect,
  IngestBatch,
  IngestResult,
  IterateOptions,
  OutcomeCounts,
  StarObservation,
  Store,
  StoreStats,
} from "./store.ts";
import { chunk, inTransaction } from "./tx.ts";

/** What differs between the dialects; everything else is shared Kysely code. */
export interface DialectOps {
  readonly dialect: Dialect;
  /** Opens a write transaction on `conn` that serialises with every other writer of the same database. */
  beginWrite(conn: Kysely<Database>): Promise<void>;
  /** Opens a transaction for claiming a job (row locks where the dialect has them). */
  beginClaim(conn: Kysely<Database>): Promise<void>;
  /** Whether `FOR UPDATE SKIP LOCKED` is available to claim jobs without waiting on each other. */
  readonly skipLocked: boolean;
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
  protected write<T>(fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
    return inTransaction(this.db, (conn) => this.ops.beginWrite(conn), fn);
  }

  private rowsPerStatement(columns: number): number {
    return Math.max(1, Math.floor(this.ops.maxParams / columns));
  }

  async ingest(batch: IngestBatch, now: IsoTimestamp = toTimestamp(new Date())): Promise<IngestResult> {
    const result: IngestResult = { papers: emptyCounts(), daily: emptyCounts(), rejectedDaily: [] };
    const daily = batch.daily ?? [];
    if (batch.papers.length === 0 && daily.length === 0 && !batch.checkpoint && !batch.stars?.length)
      return result;

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
      if (batch.stars?.length) await this.writeStars(conn, batch.stars);
      if (batch.announcements?.length) await this.writeAnnouncements(conn, batch.announcements);
      if (batch.checkpoint) {
        await writeSourceState(conn, batch.checkpoint.source, batch.checkpoint.update, now);
      }
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

  getSourceState(source: string): Promise<SourceState | null> {
    return readSourceState(this.db, source);
  }

  async listSourceStates(): Promise<SourceState[]> {
    const rows = await this.db.selectFrom("source_state").selectAll().orderBy("source").execute();
    return rows.map(rowToSourceState);
  }

  updateSourceState(source: string, update: SourceStateUpdate, now = toTimestamp(new Date())): Promise<void> {
    return this.write((conn) => writeSourceState(conn, source, update, now));
  }

  enqueueJob(job: NewJob, now = toTimestamp(new Date())): Promise<{ id: string; created: boolean }> {
    return insertJob(this.db, job, now);
  }

  claimJob(
    workerId: string,
    options: { leaseMs: number; kinds?: readonly string[]; now?: IsoTimestamp },
  ): Promise<Job | null> {
    const now = options.now ?? toTimestamp(new Date());
    const leaseUntil = toTimestamp(new Date(Date.parse(now) + options.leaseMs));
    return inTransaction(
      this.db,
      (conn) => this.ops.beginClaim(conn),
      (conn) =>
        claimNextJob(conn, {
          workerId,
          now,
          leaseUntil,
          kinds: options.kinds,
          skipLocked: this.ops.skipLocked,
        }),
    );
  }

  renewJobLease(
    id: string,
    workerId: string,
    leaseMs: number,
    now = toTimestamp(new Date()),
  ): Promise<boolean> {
    return renewLease(this.db, id, workerId, toTimestamp(new Date(Date.parse(now) + leaseMs)), now);
  }

  finishJob(
    id: string,
    workerId: string,
    outcome: JobOutcome,
    now = toTimestamp(new Date()),
  ): Promise<boolean> {
    return finishJob(this.db, id, workerId, outcome, now);
  }

  async getJob(id: string): Promise<Job | null> {
    const row = await this.db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? rowToJob(row) : null;
  }

  async listJobs(filter: { states?: readonly JobState[]; limit?: number } = {}): Promise<Job[]> {
    let q = this.db
      .selectFrom("jobs")
      .selectAll()
      .orderBy("updated_at", "desc")
      .orderBy("id")
      .limit(filter.limit ?? 50);
    if (filter.states && filter.states.length > 0) q = q.where("state", "in", filter.states);
    return (await q.execute()).map(rowToJob);
  }

  async jobCounts(): Promise<Record<JobState, number>> {
    const rows = await this.db
      .selectFrom("jobs")
      .select(["state", (eb) => eb.fn.countAll().as("n")])
      .groupBy("state")
      .execute();
    const counts: Record<JobState, number> = { queued: 0, running: 0, succeeded: 0, failed: 0 };
    for (const r of rows) counts[r.state as JobState] = Number(r.n);
    return counts;
  }

  private async writeAnnouncements(conn: Kysely<Database>, items: readonly Announcement[]): Promise<void> {
    const rows = items.map((a) => ({
      day: a.day,
      category: a.category,
      arxiv_id: a.paperId,
      announce_type: a.type,
      version: a.version,
    }));
    for (const part of chunk(rows, this.rowsPerStatement(5))) {
      await conn
        .insertInto("announcements")
        .values(part)
        .onConflict((oc) =>
          oc.columns(["day", "category", "arxiv_id"]).doUpdateSet((eb) => ({
            announce_type: eb.ref("excluded.announce_type"),
            version: eb.ref("excluded.version"),
          })),
        )
        .execute();
    }
  }

  async announcements(day: IsoDate, category?: string): Promise<Announcement[]> {
    let q = this.db
      .selectFrom("announcements")
      .selectAll()
      .where("day", "=", day)
      .orderBy("arxiv_id")
      .orderBy("category");
    if (category) q = q.where("category", "=", category);
    const rows = await q.execute();
    return rows.map((r) => ({
      day: r.day as IsoDate,
      category: r.category,
      paperId: r.arxiv_id as ArxivId,
      type: r.announce_type,
      version: Number(r.version),
    }));
  }

  async recordStars(observations: readonly StarObservation[]): Promise<void> {
    if (observations.length > 0) await this.write((conn) => this.writeStars(conn, observations));
  }

  private async writeStars(conn: Kysely<Database>, observations: readonly StarObservation[]): Promise<void> {
    const rows = observations.map((o) => ({
      repo: o.repo.toLowerCase(),
      observed_at: o.observedAt,
      stars: o.stars,
    }));
    for (const part of chunk(rows, this.rowsPerStatement(3))) {
      await conn
        .insertInto("star_history")
        .values(part)
        .onConflict((oc) =>
          oc.columns(["repo", "observed_at"]).doUpdateSet((eb) => ({ stars: eb.ref("excluded.stars") })),
        )
        .execute();
    }
  }

  async starHistory(repo: string): Promise<{ observedAt: IsoTimestamp; stars: number }[]> {
    const rows = await this.db
      .selectFrom("star_history")
      .select(["observed_at", "stars"])
      .where("repo", "=", repo.toLowerCase())
      .orderBy("observed_at")
      .execute();
    return rows.map((r) => ({ observedAt: r.observed_at as IsoTimestamp, stars: Number(r.stars) }));
  }

  async papersWithCode(options: {
    after?: ArxivId | null;
    limit: number;
  }): Promise<{ id: ArxivId; codeUrl: string }[]> {
    let q = this.db
      .selectFrom("papers")
      .select(["arxiv_id", "code_url"])
      .where("code_url", "is not", null)
      .orderBy("arxiv_id")
      .limit(options.limit);
    if (options.after) q = q.where("arxiv_id", ">", options.after);
    const rows = await q.execute();
    return rows.map((r) => ({ id: r.arxiv_id as ArxivId, codeUrl: r.code_url ?? "" }));
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
