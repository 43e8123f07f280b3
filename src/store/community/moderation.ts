import type { ArxivId, IsoDate, IsoTimestamp } from "../../core/index.ts";
import type { RepoContext } from "../repo.ts";
import { chunk } from "../tx.ts";
import type { SubmissionsTable } from "./tables.ts";
import type { HiddenPaper, Submission, SubmissionClaim } from "./types.ts";
import { requirePaper } from "./votes.ts";

/** A pending claim older than this is taken to be from a request that died, and may be claimed again. */
export const STALE_CLAIM_MS = 10 * 60_000;

export function hidePaper(
  ctx: RepoContext,
  paperId: ArxivId,
  adminId: string,
  reason: string | null,
  now: IsoTimestamp,
): Promise<void> {
  return ctx.write(async (conn) => {
    await requirePaper(conn, paperId);
    await conn
      .insertInto("hidden_papers")
      .values({ arxiv_id: paperId, hidden_by: adminId, hidden_at: now, reason })
      .onConflict((oc) => oc.column("arxiv_id").doUpdateSet({ hidden_by: adminId, hidden_at: now, reason }))
      .execute();
  });
}

/** Shows a hidden paper again; false when it was not hidden. */
export function unhidePaper(ctx: RepoContext, paperId: ArxivId): Promise<boolean> {
  return ctx.write(async (conn) => {
    const result = await conn.deleteFrom("hidden_papers").where("arxiv_id", "=", paperId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}

/** Which of `ids` are hidden. */
export async function hiddenAmong(ctx: RepoContext, ids: readonly ArxivId[]): Promise<Set<ArxivId>> {
  const out = new Set<ArxivId>();
  for (const part of chunk([...new Set(ids)], Math.max(1, ctx.maxParams - 10))) {
    const rows = await ctx.db
      .selectFrom("hidden_papers")
      .select("arxiv_id")
      .where("arxiv_id", "in", part)
      .execute();
    for (const r of rows) out.add(r.arxiv_id as ArxivId);
  }
  return out;
}

/** Every hidden paper, most recently hidden first (the admin's list). */
export async function listHidden(ctx: RepoContext): Promise<HiddenPaper[]> {
  const rows = await ctx.db
    .selectFrom("hidden_papers")
    .selectAll()
    .orderBy("hidden_at", "desc")
    .orderBy("arxiv_id")
    .execute();
  return rows.map((r) => ({
    paperId: r.arxiv_id as ArxivId,
    hiddenBy: r.hidden_by,
    hiddenAt: r.hidden_at as IsoTimestamp,
    reason: r.reason,
  }));
}

function rowToSubmission(row: SubmissionsTable): Submission {
  return {
    paperId: row.arxiv_id as ArxivId,
    userId: row.user_id,
    submittedAt: row.submitted_at as IsoTimestamp,
    day: row.day as IsoDate,
    state: row.state === "done" ? "done" : "pending",
  };
}

/**
 * Claims a paper for a member's submission before it is fetched, so that two members submitting it at once
 * get one submission. Refused when the paper was submitted already (or is being submitted by someone else
 * right now) or is already on a day's list.
 */
export function claimSubmission(
  ctx: RepoContext,
  paperId: ArxivId,
  userId: string,
  day: IsoDate,
  now: IsoTimestamp,
): Promise<SubmissionClaim> {
  return ctx.write(async (conn) => {
    const existing = await conn
      .selectFrom("submissions")
      .selectAll()
      .where("arxiv_id", "=", paperId)
      .executeTakeFirst();
    const featured = await conn
      .selectFrom("daily_entries")
      .select((eb) => eb.fn.min("day").as("first"))
      .where("arxiv_id", "=", paperId)
      .executeTakeFirst();
    const featuredOn = (featured?.first as IsoDate | null | undefined) ?? null;
    if (existing) {
      const live = Date.parse(now) - Date.parse(existing.submitted_at) < STALE_CLAIM_MS;
      if (existing.state === "done" || (live && existing.user_id !== userId)) {
        return { claimed: false, submission: rowToSubmission(existing), featuredOn };
      }
    }
    if (featuredOn !== null) return { claimed: false, submission: null, featuredOn };
    const row = { arxiv_id: paperId, user_id: userId, submitted_at: now, day, state: "pending" };
    await conn
      .insertInto("submissions")
      .values(row)
      .onConflict((oc) =>
        oc.column("arxiv_id").doUpdateSet({ user_id: userId, submitted_at: now, day, state: "pending" }),
      )
      .execute();
    return { claimed: true };
  });
}

/** Marks the member's claim done once the paper is on the day's list. */
export async function completeSubmission(ctx: RepoContext, paperId: ArxivId, userId: string): Promise<void> {
  await ctx.write((conn) =>
    conn
      .updateTable("submissions")
      .set({ state: "done" })
      .where("arxiv_id", "=", paperId)
      .where("user_id", "=", userId)
      .execute(),
  );
}

/** Drops the member's pending claim after a failed fetch, so the paper can be submitted again. */
export async function releaseSubmission(ctx: RepoContext, paperId: ArxivId, userId: string): Promise<void> {
  await ctx.write((conn) =>
    conn
      .deleteFrom("submissions")
      .where("arxiv_id", "=", paperId)
      .where("user_id", "=", userId)
      .where("state", "=", "pending")
      .execute(),
  );
}

export async function getSubmission(ctx: RepoContext, paperId: ArxivId): Promise<Submission | null> {
  const row = await ctx.db
    .selectFrom("submissions")
    .selectAll()
    .where("arxiv_id", "=", paperId)
    .executeTakeFirst();
  return row ? rowToSubmission(row) : null;
}

/** The member's finished submissions, newest first. */
export async function submissionsBy(ctx: RepoContext, userId: string, limit = 50): Promise<Submission[]> {
  const rows = await ctx.db
    .selectFrom("submissions")
    .selectAll()
    .where("user_id", "=", userId)
    .where("state", "=", "done")
    .orderBy("submitted_at", "desc")
    .orderBy("arxiv_id")
    .limit(limit)
    .execute();
  return rows.map(rowToSubmission);
}
