/**
 * The recommendation ledger (`store.recommend`): a member's thumbs on recommended papers, and the papers
 * For-you and `/api/for-you` have shown them, by the UTC day first shown. With the digests' own record of
 * what they suggested (`store.digests.suggested`), it is what keeps a paper from being recommended twice.
 */
import type { Migration } from "kysely";
import type { RepoContext } from "../repo.ts";
import { chunk } from "../tx.ts";
import { recommendationLedgerMigration } from "./migration.ts";

export type { RecommendTables } from "./tables.ts";

export const recommendMigrations: Record<string, Migration> = {
  "0011_recommendation_ledger": recommendationLedgerMigration,
};

export type Thumb = "up" | "down";

export interface ThumbRecord {
  paperId: string;
  thumb: Thumb;
  /** When it was last set. */
  at: string;
}

/** Most thumbs read back per member (newest first); a profile needs no more. */
export const MAX_THUMBS = 5_000;

export interface Recommend {
  /** Sets (or with null clears) the member's thumb on a paper. */
  setThumb(userId: string, paperId: string, thumb: Thumb | null, now?: Date): Promise<void>;
  /** The member's thumbs, newest first. */
  thumbs(userId: string, options?: { limit?: number; offset?: number }): Promise<ThumbRecord[]>;
  /** Records papers as shown on `now`'s UTC day; a paper shown before keeps its first day. */
  recordShown(userId: string, paperIds: readonly string[], now?: Date): Promise<void>;
  /** Every paper shown to the member, with the UTC day it was first shown. */
  shown(userId: string): Promise<Map<string, string>>;
}

export function createRecommend(ctx: RepoContext): Recommend {
  const at = (now?: Date) => (now ?? new Date()).toISOString();
  return {
    async setThumb(userId, paperId, thumb, now) {
      const stamp = at(now);
      await ctx.write(async (conn) => {
        if (thumb === null) {
          await conn
            .deleteFrom("recommendation_thumbs")
            .where("user_id", "=", userId)
            .where("arxiv_id", "=", paperId)
            .execute();
          return;
        }
        await conn
          .insertInto("recommendation_thumbs")
          .values({ user_id: userId, arxiv_id: paperId, thumb, created_at: stamp, updated_at: stamp })
          .onConflict((oc) => oc.columns(["user_id", "arxiv_id"]).doUpdateSet({ thumb, updated_at: stamp }))
          .execute();
      });
    },
    async thumbs(userId, options = {}) {
      const limit = Math.min(Math.max(Math.trunc(options.limit ?? MAX_THUMBS), 1), MAX_THUMBS);
      const rows = await ctx.db
        .selectFrom("recommendation_thumbs")
        .select(["arxiv_id", "thumb", "updated_at"])
        .where("user_id", "=", userId)
        .orderBy("updated_at", "desc")
        .orderBy("arxiv_id")
        .limit(limit)
        .offset(Math.max(Math.trunc(options.offset ?? 0), 0))
        .execute();
      return rows.map((r) => ({ paperId: r.arxiv_id, thumb: r.thumb as Thumb, at: r.updated_at }));
    },
    async recordShown(userId, paperIds, now) {
      const ids = [...new Set(paperIds)];
      if (ids.length === 0) return;
      const stamp = at(now);
      const day = stamp.slice(0, 10);
      await ctx.write(async (conn) => {
        for (const part of chunk(ids, Math.max(1, Math.floor(ctx.maxParams / 4)))) {
          await conn
            .insertInto("recommendation_shown")
            .values(part.map((id) => ({ user_id: userId, arxiv_id: id, day, shown_at: stamp })))
            .onConflict((oc) => oc.columns(["user_id", "arxiv_id"]).doNothing())
            .execute();
        }
      });
    },
    async shown(userId) {
      const rows = await ctx.db
        .selectFrom("recommendation_shown")
        .select(["arxiv_id", "day"])
        .where("user_id", "=", userId)
        .execute();
      return new Map(rows.map((r) => [r.arxiv_id, r.day]));
    },
  };
}
