import type { Kysely } from "kysely";
import type { ArxivId } from "../../core/index.ts";
import type { RepoContext } from "../repo.ts";
import type { Database } from "../schema.ts";
import { chunk } from "../tx.ts";
import type { LocalActivity } from "./types.ts";

/**
 * Recounts a paper's local votes and visible comments into `community_counts`. Called inside the write
 * transaction that changed them, so the counter never drifts from the rows (and a recount repairs any drift).
 */
export async function refreshCounts(conn: Kysely<Database>, paperId: ArxivId): Promise<LocalActivity> {
  const votes = await conn
    .selectFrom("votes")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("arxiv_id", "=", paperId)
    .executeTakeFirstOrThrow();
  const comments = await conn
    .selectFrom("comments")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("arxiv_id", "=", paperId)
    .where("deleted_at", "is", null)
    .where("removed_at", "is", null)
    .executeTakeFirstOrThrow();
  const counts = { votes: Number(votes.n), comments: Number(comments.n) };
  await conn
    .insertInto("community_counts")
    .values({ arxiv_id: paperId, ...counts })
    .onConflict((oc) => oc.column("arxiv_id").doUpdateSet(counts))
    .execute();
  return counts;
}

/** Local votes and visible comments of many papers at once; papers without any are left out of the map. */
export async function localActivity(
  ctx: RepoContext,
  ids: readonly ArxivId[],
): Promise<Map<ArxivId, LocalActivity>> {
  const out = new Map<ArxivId, LocalActivity>();
  for (const part of chunk([...new Set(ids)], Math.max(1, ctx.maxParams - 10))) {
    const rows = await ctx.db
      .selectFrom("community_counts")
      .select(["arxiv_id", "votes", "comments"])
      .where("arxiv_id", "in", part)
      .execute();
    for (const r of rows) {
      out.set(r.arxiv_id as ArxivId, { votes: Number(r.votes), comments: Number(r.comments) });
    }
  }
  return out;
}

/**
 * Upvotes as shown everywhere: the Hugging Face upvotes of the paper's largest daily entry plus local votes.
 * Every id asked for is in the map (0 when nobody voted).
 */
export async function upvoteTotals(ctx: RepoContext, ids: readonly ArxivId[]): Promise<Map<ArxivId, number>> {
  const unique = [...new Set(ids)];
  const out = new Map<ArxivId, number>(unique.map((id) => [id, 0]));
  for (const part of chunk(unique, Math.max(1, ctx.maxParams - 10))) {
    const rows = await ctx.db
      .selectFrom("daily_entries")
      .select(["arxiv_id", (eb) => eb.fn.max("upvotes").as("hf")])
      .where("arxiv_id", "in", part)
      .groupBy("arxiv_id")
      .execute();
    for (const r of rows) out.set(r.arxiv_id as ArxivId, Number(r.hf ?? 0));
  }
  for (const [id, activity] of await localActivity(ctx, unique)) {
    out.set(id, (out.get(id) ?? 0) + activity.votes);
  }
  return out;
}
