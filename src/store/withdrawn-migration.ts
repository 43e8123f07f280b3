import { type Kysely, type Migration, sql } from "kysely";
import { isWithdrawalNotice } from "../core/withdrawal.ts";

/**
 * 0018: papers learn they were withdrawn (`papers.withdrawn_at`, set on ingest by core/merge.ts). Papers
 * already stored whose current comments or abstract carry a withdrawal notice are marked here, with their
 * latest version's date; a partial index finds the few withdrawn papers (the search delta masks them all).
 */
export const withdrawnMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("papers").addColumn("withdrawn_at", "text").execute();
    const rows = await sql<{
      arxiv_id: string;
      comments: string | null;
      abstract: string;
      versions_json: string;
      last_updated_at: string;
    }>`
      select arxiv_id, comments, abstract, versions_json, last_updated_at from papers
      where lower(coalesce(comments, '')) like '%withdrawn%' or lower(abstract) like '%withdrawn%'`.execute(
      db,
    );
    for (const row of rows.rows) {
      if (!isWithdrawalNotice(row.comments, row.abstract)) continue;
      let at = row.last_updated_at;
      try {
        const versions = JSON.parse(row.versions_json) as { date?: string }[];
        at = versions.at(-1)?.date ?? at;
      } catch {
        // A row with unreadable versions keeps its update time as the date.
      }
      await sql`update papers set withdrawn_at = ${at} where arxiv_id = ${row.arxiv_id}`.execute(db);
    }
    await db.schema
      .createIndex("papers_withdrawn")
      .on("papers")
      .column("withdrawn_at")
      .where(sql.ref("withdrawn_at"), "is not", null)
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex("papers_withdrawn").ifExists().execute();
    await db.schema.alterTable("papers").dropColumn("withdrawn_at").execute();
  },
};
