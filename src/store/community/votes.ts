import type { Kysely } from "kysely";
import type { ArxivId, IsoTimestamp } from "../../core/index.ts";
import type { RepoContext } from "../repo.ts";
import type { Database } from "../schema.ts";
import { chunk } from "../tx.ts";
import { refreshCounts } from "./counts.ts";
import { CommunityError, type VoteState } from "./types.ts";

export async function requirePaper(conn: Kysely<Database>, paperId: ArxivId): Promise<void> {
  const row = await conn
    .selectFrom("papers")
    .select("arxiv_id")
    .where("arxiv_id", "=", paperId)
    .executeTakeFirst();
  if (!row) throw new CommunityError("not_found", `no paper ${paperId} here`);
}

/**
 * Sets whether `userId` upvotes `paperId` (`voted: null` flips the current state). Idempotent for a given
 * target state, so a double-clicked form or a retried API call never counts twice.
 */
export function setVote(
  ctx: RepoContext,
  userId: string,
  paperId: ArxivId,
  voted: boolean | null,
  now: IsoTimestamp,
): Promise<VoteState> {
  return ctx.write(async (conn) => {
    await requirePaper(conn, paperId);
    const existing = await conn
      .selectFrom("votes")
      .select("user_id")
      .where("arxiv_id", "=", paperId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    const want = voted ?? !existing;
    if (want && !existing) {
      await conn
        .insertInto("votes")
        .values({ arxiv_id: paperId, user_id: userId, created_at: now })
        .execute();
    } else if (!want && existing) {
      await conn.deleteFrom("votes").where("arxiv_id", "=", paperId).where("user_id", "=", userId).execute();
    }
    const counts = await refreshCounts(conn, paperId);
    return { voted: want, votes: counts.votes };
  });
}

/** Which of `ids` the member has upvoted. */
export async function votedBy(
  ctx: RepoContext,
  userId: string,
  ids: readonly ArxivId[],
): Promise<Set<ArxivId>> {
  const out = new Set<ArxivId>();
  for (const part of chunk([...new Set(ids)], Math.max(1, ctx.maxParams - 10))) {
    const rows = await ctx.db
      .selectFrom("votes")
      .select("arxiv_id")
      .where("user_id", "=", userId)
      .where("arxiv_id", "in", part)
      .execute();
    for (const r of rows) out.add(r.arxiv_id as ArxivId);
  }
  return out;
}

/** The member's upvoted papers, most recent vote first (for recommendations and the API). */
export async function votesOf(
  ctx: RepoContext,
  userId: string,
  limit = 500,
): Promise<{ paperId: ArxivId; votedAt: IsoTimestamp }[]> {
  const rows = await ctx.db
    .selectFrom("votes")
    .select(["arxiv_id", "created_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .orderBy("arxiv_id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ paperId: r.arxiv_id as ArxivId, votedAt: r.created_at as IsoTimestamp }));
}
