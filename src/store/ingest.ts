import type { Kysely } from "kysely";
import {
  type DailyEntry,
  type DailyEntryRecord,
  type IsoTimestamp,
  mergeDailyEntry,
  mergePaper,
  type Paper,
} from "../core/index.ts";
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
import { writeSourceState } from "./source-state.ts";
import type { Announcement, IngestBatch, IngestResult, OutcomeCounts, StarObservation } from "./store.ts";
import { chunk } from "./tx.ts";

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
  "withdrawn_at",
  "sources_json",
  "first_seen_at",
  "last_updated_at",
] as const satisfies readonly (keyof PapersTable)[];

const DAILY_COLUMNS = [
  "source",
  "submitter_json",
  "organization_json",
  "media_json",
  "upvotes",
  "num_comments",
  "first_seen_at",
  "last_updated_at",
] as const;

const emptyCounts = (): OutcomeCounts => ({ added: 0, updated: 0, unchanged: 0 });

export function emptyResult(): IngestResult {
  return { papers: emptyCounts(), daily: emptyCounts(), rejectedDaily: [] };
}

/** A batch with nothing to write needs no transaction. */
export function isEmpty(batch: IngestBatch): boolean {
  return (
    batch.papers.length === 0 &&
    !batch.daily?.length &&
    !batch.checkpoint &&
    !batch.stars?.length &&
    !batch.announcements?.length
  );
}

/**
 * Writes ingest batches: reads the stored papers a batch names, merges each record by the core's rules, and
 * writes what changed (papers, lookup rows, daily entries, announcements, star history, checkpoint) in
 * multi-row statements sized to the dialect's parameter limit. Runs inside the store's write transaction.
 */
export class BatchWriter {
  constructor(private readonly maxParams: number) {}

  /**
   * Inserts rows in as few statements as the parameter limit allows; a row whose `key` exists already
   * overwrites the `update` columns. (Kysely cannot type a table chosen at run time, hence the casts.)
   */
  private async upsert<T extends keyof Database>(
    conn: Kysely<Database>,
    table: T,
    rows: readonly Database[T][],
    key: readonly (keyof Database[T] & string)[],
    update: readonly (keyof Database[T] & string)[],
  ): Promise<void> {
    const first = rows[0];
    if (first === undefined) return;
    for (const part of chunk(rows, this.rowsPerStatement(Object.keys(first).length))) {
      await conn
        .insertInto(table)
        .values(part as never)
        .onConflict((oc) =>
          oc
            .columns(key as never)
            .doUpdateSet(
              (eb) => Object.fromEntries(update.map((c) => [c, eb.ref(`excluded.${c}` as never)])) as never,
            ),
        )
        .execute();
    }
  }

  /** Rows of `columns` values that fit in one statement. */
  private rowsPerStatement(columns: number): number {
    return Math.max(1, Math.floor(this.maxParams / columns));
  }

  /** Merges and writes a batch inside the caller's write transaction. */
  async ingest(conn: Kysely<Database>, batch: IngestBatch, now: IsoTimestamp): Promise<IngestResult> {
    const result = emptyResult();
    const ids = [...new Set(batch.papers.map((p) => p.id))];
    const current = new Map<string, Paper>();
    for (const paper of await this.readPapers(conn, ids)) current.set(paper.id, paper);
    const storedBefore = new Set(current.keys());

    // Each record is merged against the state left by the records before it, so a paper that appears twice
    // in one batch counts once as added and then as unchanged or updated, exactly as in two batches.
    const changed = new Map<string, Paper>();
    for (const record of batch.papers) {
      const { paper, outcome } = mergePaper(current.get(record.id) ?? null, record, now);
      result.papers[outcome]++;
      if (outcome !== "unchanged") changed.set(paper.id, paper);
      current.set(paper.id, paper);
    }
    await this.writePapers(conn, [...changed.values()], storedBefore);

    const daily = batch.daily ?? [];
    if (daily.length > 0) await this.ingestDaily(conn, daily, current, now, result);
    if (batch.stars?.length) await this.writeStars(conn, batch.stars);
    if (batch.announcements?.length) await this.writeAnnouncements(conn, batch.announcements);
    if (batch.checkpoint) await writeSourceState(conn, batch.checkpoint.source, batch.checkpoint.update, now);
    return result;
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
    for (const ids of chunk(unknownIds, this.maxParams)) {
      const rows = await conn.selectFrom("papers").select("arxiv_id").where("arxiv_id", "in", ids).execute();
      for (const r of rows) stored.add(r.arxiv_id);
    }

    const existing = new Map<string, DailyEntry>();
    const days = [...new Set(records.map((r) => r.date))];
    const paperIds = [...new Set(records.map((r) => r.paperId))];
    for (const ids of chunk(paperIds, this.maxParams - days.length)) {
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
    await this.upsert(conn, "daily_entries", rows, ["day", "arxiv_id"], DAILY_COLUMNS);
  }

  async readPapers(conn: Kysely<Database>, ids: readonly string[]): Promise<Paper[]> {
    const out: Paper[] = [];
    for (const part of chunk(ids, this.maxParams)) {
      const rows = await conn.selectFrom("papers").selectAll().where("arxiv_id", "in", part).execute();
      for (const row of rows) out.push(rowToPaper(row));
    }
    return out;
  }

  private async writePapers(
    conn: Kysely<Database>,
    papers: readonly Paper[],
    storedBefore: ReadonlySet<string>,
  ): Promise<void> {
    if (papers.length === 0) return;
    await this.upsert(conn, "papers", papers.map(paperToRow), ["arxiv_id"], PAPER_COLUMNS);
    // The lookup tables are rebuilt for the papers that changed; papers new to the store have no rows to delete.
    const ids = papers.filter((p) => storedBefore.has(p.id)).map((p) => p.id);
    for (const part of chunk(ids, this.maxParams)) {
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

  private async writeAnnouncements(conn: Kysely<Database>, items: readonly Announcement[]): Promise<void> {
    const rows = items.map((a) => ({
      day: a.day,
      category: a.category,
      arxiv_id: a.paperId,
      announce_type: a.type,
      version: a.version,
    }));
    await this.upsert(
      conn,
      "announcements",
      rows,
      ["day", "category", "arxiv_id"],
      ["announce_type", "version"],
    );
  }

  async writeStars(conn: Kysely<Database>, observations: readonly StarObservation[]): Promise<void> {
    const rows = observations.map((o) => ({
      repo: o.repo.toLowerCase(),
      observed_at: o.observedAt,
      stars: o.stars,
    }));
    await this.upsert(conn, "star_history", rows, ["repo", "observed_at"], ["stars"]);
  }
}
