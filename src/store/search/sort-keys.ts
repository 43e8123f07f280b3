import { type Kysely, sql } from "kysely";
import type { ArxivId } from "../../core/arxiv-id.ts";
import type { ParsedSearchQuery } from "../../core/search-query.ts";
import type { Dialect } from "../repo.ts";
import type { Database } from "../schema.ts";
import { chunk } from "../tx.ts";
import { fts5Expression, postgresFilter, type WordMatch } from "./match.ts";

/**
 * What the search service sorts a date or upvotes search by, read from the store so that it can order the
 * matches in process (`search/service/sorted-index.ts`) instead of joining every match to its paper:
 *
 * - a paper's key: its `paper_search_docs.doc_id` on SQLite (what the FTS5 match yields without any join),
 *   its arxiv_id on PostgreSQL (what `paper_search` holds);
 * - its publication time as stored (ISO text, compared as the SQL compares it) and its id.
 *
 * Withdrawals and upvotes are read fresh on each search (`withdrawnKeys`, `upvoteKeys`): both are small sets.
 */
export type SortKey = number | string;

export interface SortKeyRow {
  key: SortKey;
  id: ArxivId;
  publishedAt: string | null;
}

interface KeyRow {
  key: SortKey;
  arxiv_id: string;
  published_at: string | null;
}

const toRow = (r: KeyRow): SortKeyRow => ({
  key: typeof r.key === "string" ? r.key : Number(r.key),
  id: r.arxiv_id as ArxivId,
  publishedAt: r.published_at,
});

export class SortKeyReader {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly maxParams: number,
  ) {}

  /** Keys after `after` in key order, at most `limit`: pages over the whole library. */
  async page(after: SortKey | null, limit: number): Promise<SortKeyRow[]> {
    const rows =
      this.dialect === "sqlite"
        ? await sql<KeyRow>`select d.doc_id as key, p.arxiv_id, p.published_at
            from paper_search_docs d join papers p on p.arxiv_id = d.arxiv_id
            where d.doc_id > ${after ?? -1} order by d.doc_id limit ${limit}`.execute(this.db)
        : await sql<KeyRow>`select p.arxiv_id as key, p.arxiv_id, p.published_at from papers p
            where p.arxiv_id > ${after ?? ""} order by p.arxiv_id limit ${limit}`.execute(this.db);
    return rows.rows.map(toRow);
  }

  /** The newest `last_updated_at` of any paper (null: no papers): the mark `changedSince` reads from. */
  async mark(): Promise<string | null> {
    const row = await this.db
      .selectFrom("papers")
      .select((eb) => eb.fn.max("last_updated_at").as("m"))
      .executeTakeFirst();
    return (row?.m as string | null | undefined) ?? null;
  }

  /** Papers updated or added at or after `mark` (indexed: few rows between two loads). */
  async changedSince(mark: string): Promise<SortKeyRow[]> {
    const rows =
      this.dialect === "sqlite"
        ? await sql<KeyRow>`select d.doc_id as key, p.arxiv_id, p.published_at
            from papers p join paper_search_docs d on d.arxiv_id = p.arxiv_id
            where p.last_updated_at >= ${mark}`.execute(this.db)
        : await sql<KeyRow>`select p.arxiv_id as key, p.arxiv_id, p.published_at from papers p
            where p.last_updated_at >= ${mark}`.execute(this.db);
    return rows.rows.map(toRow);
  }

  /** The rows of the papers `ids` the store holds. */
  async ofIds(ids: readonly string[]): Promise<SortKeyRow[]> {
    const out: SortKeyRow[] = [];
    for (const part of chunk([...new Set(ids)], Math.max(1, this.maxParams - 100))) {
      const list = sql.join(part.map((id) => sql`${id}`));
      const rows =
        this.dialect === "sqlite"
          ? await sql<KeyRow>`select d.doc_id as key, p.arxiv_id, p.published_at
              from papers p join paper_search_docs d on d.arxiv_id = p.arxiv_id
              where p.arxiv_id in (${list})`.execute(this.db)
          : await sql<KeyRow>`select p.arxiv_id as key, p.arxiv_id, p.published_at from papers p
              where p.arxiv_id in (${list})`.execute(this.db);
      out.push(...rows.rows.map(toRow));
    }
    return out;
  }

  /** The rows of the keys `keys` (keys the caller has not loaded yet). */
  async ofKeys(keys: readonly SortKey[]): Promise<SortKeyRow[]> {
    if (this.dialect !== "sqlite") return this.ofIds(keys as string[]);
    const out: SortKeyRow[] = [];
    for (const part of chunk([...new Set(keys)], Math.max(1, this.maxParams - 100))) {
      const list = sql.join(part.map((k) => sql`${k}`));
      const rows = await sql<KeyRow>`select d.doc_id as key, p.arxiv_id, p.published_at
          from paper_search_docs d join papers p on p.arxiv_id = d.arxiv_id
          where d.doc_id in (${list})`.execute(this.db);
      out.push(...rows.rows.map(toRow));
    }
    return out;
  }

  /** The keys of every paper the text matches (all words or any), nothing joined and nothing scored. */
  async matching(query: ParsedSearchQuery, match: WordMatch): Promise<SortKey[]> {
    if (this.dialect === "sqlite") {
      const rows = await sql<{ k: number }>`select rowid as k from paper_search_fts
          where paper_search_fts match ${fts5Expression(query, match)}`.execute(this.db);
      return rows.rows.map((r) => Number(r.k));
    }
    // The same condition as `textMatch` (match.ts), without the rank.
    const rows = await sql<{ k: string }>`select s.arxiv_id as k from paper_search s
        where s.document @@ ${postgresFilter(query, match)}`.execute(this.db);
    return rows.rows.map((r) => r.k);
  }

  /** The keys of withdrawn papers (a partial index holds them). */
  async withdrawn(): Promise<SortKey[]> {
    const rows =
      this.dialect === "sqlite"
        ? await sql<{ k: number }>`select d.doc_id as k from papers p
            join paper_search_docs d on d.arxiv_id = p.arxiv_id where p.withdrawn_at is not null`.execute(
            this.db,
          )
        : await sql<{ k: string }>`select p.arxiv_id as k from papers p
            where p.withdrawn_at is not null`.execute(this.db);
    return rows.rows.map((r) => (typeof r.k === "string" ? r.k : Number(r.k)));
  }

  /**
   * Every paper with a Hugging Face daily entry or a count of local votes, with its upvotes exactly as
   * `PAPER_UPVOTES_SQL` computes them; every other paper has 0.
   */
  async upvotes(): Promise<{ key: SortKey; upvotes: number }[]> {
    const keyOf = this.dialect === "sqlite" ? sql`d.doc_id` : sql`u.arxiv_id`;
    const join = this.dialect === "sqlite" ? sql`join paper_search_docs d on d.arxiv_id = u.arxiv_id` : sql``;
    const rows = await sql<{ k: SortKey; v: number }>`
      select ${keyOf} as k, coalesce(max(u.de), 0) + coalesce(max(u.cc), 0) as v from (
        select de.arxiv_id as arxiv_id, max(de.upvotes) as de, null as cc from daily_entries de group by de.arxiv_id
        union all
        select cc.arxiv_id as arxiv_id, null as de, cc.votes as cc from community_counts cc
      ) as u ${join} group by ${keyOf}`.execute(this.db);
    return rows.rows.map((r) => ({
      key: typeof r.k === "string" ? r.k : Number(r.k),
      upvotes: Number(r.v),
    }));
  }
}
