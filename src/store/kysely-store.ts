import { type Kysely, Migrator, sql } from "kysely";
import {
  type ArxivId,
  type DailyEntry,
  type IsoDate,
  type IsoTimestamp,
  type Job,
  type JobState,
  type NewJob,
  type Paper,
  type SourceState,
  toTimestamp,
} from "../core/index.ts";
import { type Accounts, createAccounts } from "./accounts/index.ts";
import { type Community, createCommunity } from "./community/index.ts";
import { createDigests, type Digests } from "./digests/index.ts";
import { BatchWriter, emptyResult, isEmpty } from "./ingest.ts";
import {
  claimNextJob,
  finishJob,
  insertJob,
  type JobOutcome,
  releaseJob,
  renewLease,
  rowToJob,
} from "./jobs.ts";
import { createListings, type Listings } from "./listings/index.ts";
import { createMedia, type Media } from "./media/index.ts";
import { dropDeferrableIndexes, ensureLookupIndexes, migrationProvider } from "./migrations.ts";
import { createRecommend, type Recommend } from "./recommend/index.ts";
import type { RepoContext } from "./repo.ts";
import { rowToDaily, rowToPaper } from "./rows.ts";
import type { Database } from "./schema.ts";
import { createPaperSearch, type PaperSearch } from "./search/index.ts";
import { createSearchBuilds, type SearchBuilds } from "./search-builds/index.ts";
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
  StarObservation,
  Store,
  StoreStats,
} from "./store.ts";
import { inTransaction } from "./tx.ts";

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

export class KyselyStore implements Store {
  readonly dialect: Dialect;
  readonly search: PaperSearch;
  readonly listings: Listings;
  readonly accounts: Accounts;
  readonly community: Community;
  readonly digests: Digests;
  readonly media: Media;
  readonly recommend: Recommend;
  readonly searchBuilds: SearchBuilds;
  private readonly writer: BatchWriter;

  constructor(
    /**
     * The database itself, for what lives beside the store's tables rather than in them (the search
     * engine's pgvector index, `search/vector/pgvector-index.ts`).
     */
    readonly db: Kysely<Database>,
    private readonly ops: DialectOps,
  ) {
    this.dialect = ops.dialect;
    this.writer = new BatchWriter(ops.maxParams);
    const ctx: RepoContext = {
      db,
      dialect: ops.dialect,
      maxParams: ops.maxParams,
      write: (fn) => this.write(fn),
    };
    this.search = createPaperSearch(ctx);
    this.accounts = createAccounts(ctx);
    this.community = createCommunity(ctx);
    this.digests = createDigests(ctx);
    this.media = createMedia(ctx);
    this.recommend = createRecommend(ctx);
    this.searchBuilds = createSearchBuilds(ctx);
    // Lists rank by Hugging Face upvotes plus this site's own votes and comments.
    this.listings = createListings(ctx, (ids) => this.community.localActivity(ids));
  }

  async migrate(): Promise<string[]> {
    const migrator = new Migrator({ db: this.db, provider: migrationProvider });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error;
    await ensureLookupIndexes(this.db);
    return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  }

  /** Runs `fn` in a write transaction that commits when it resolves and rolls back when it throws. */
  protected write<T>(fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
    return inTransaction(this.db, (conn) => this.ops.beginWrite(conn), fn);
  }

  async ingest(batch: IngestBatch, now: IsoTimestamp = toTimestamp(new Date())): Promise<IngestResult> {
    if (isEmpty(batch)) return emptyResult();
    return this.write((conn) => this.writer.ingest(conn, batch, now));
  }

  async bulkLoad<T>(load: () => Promise<T>): Promise<T> {
    // On SQLite, every batch of author rows lands all over the name index; rewriting those pages on each
    // commit more than halves import speed past a few hundred thousand papers. Building it once at the end
    // takes seconds. PostgreSQL keeps its indexes but needs fresh statistics after a large load.
    if (this.dialect === "sqlite") await dropDeferrableIndexes(this.db);
    try {
      return await load();
    } finally {
      await ensureLookupIndexes(this.db);
      await sql`analyze`.execute(this.db);
    }
  }

  async getPaper(id: ArxivId): Promise<Paper | null> {
    const row = await this.db.selectFrom("papers").selectAll().where("arxiv_id", "=", id).executeTakeFirst();
    return row ? rowToPaper(row) : null;
  }

  async getPapers(ids: readonly ArxivId[]): Promise<Paper[]> {
    const byId = new Map((await this.writer.readPapers(this.db, ids)).map((p) => [p.id as string, p]));
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

  releaseJob(id: string, workerId: string, now = toTimestamp(new Date())): Promise<boolean> {
    return releaseJob(this.db, id, workerId, now);
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
    if (observations.length > 0) await this.write((conn) => this.writer.writeStars(conn, observations));
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

  async papersWithoutCategories(options: { after?: ArxivId | null; limit: number }): Promise<ArxivId[]> {
    // A paper's primary category is its first; it is null exactly when the paper has none.
    let q = this.db
      .selectFrom("papers")
      .select("arxiv_id")
      .where("primary_category", "is", null)
      .orderBy("arxiv_id")
      .limit(options.limit);
    if (options.after) q = q.where("arxiv_id", ">", options.after);
    const rows = await q.execute();
    return rows.map((r) => r.arxiv_id as ArxivId);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
