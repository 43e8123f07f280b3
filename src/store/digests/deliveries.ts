import type { Kysely } from "kysely";
import { type DigestContent, nextPeriod, periodsDue, recommendedIds } from "../../core/digest.ts";
import type { RepoContext } from "../repo.ts";
import type { Database } from "../schema.ts";
import { toDelivery } from "./rows.ts";
import { withTargets } from "./targets.ts";
import {
  type Channel,
  type ClaimedDelivery,
  type Delivery,
  type DeliveryKey,
  type DeliveryState,
  HARD_FAILURE_LIMIT,
  type Subscription,
} from "./types.ts";

/** Periods owed at once beyond which older ones are recorded as skipped rather than sent stale. */
const MAX_CATCH_UP = 1;

type DeliveryRow = Database["digest_deliveries"];

/** Mail (when on), then each target's kind. */
function channelsOf(s: Subscription): Channel[] {
  return [...(s.emailEnabled ? ["email"] : []), ...s.targets.map((t) => t.kind)];
}

/** The Message-ID's local part: the same for every attempt at one (subscription, period, channel). */
export function messageIdLocal(subscriptionId: string, periodKey: string, channel: Channel): string {
  return `digest.${subscriptionId}.${periodKey}.${channel}`;
}

/**
 * Creates the delivery rows owed at `now`: for each active subscription whose next period is due, one
 * pending row per channel (the primary key makes planning twice harmless), then moves the subscription's
 * `next_due_at` past `now`. If the worker was down for several periods, only the newest is sent; the older
 * ones are recorded as `skipped` with the reason, so none disappears unnoticed.
 */
export async function planDue(
  ctx: RepoContext,
  now: Date,
  limit: number,
  /** When the new rows may be claimed (the real clock, when planning for a moment other than now). */
  availableAt: Date = now,
): Promise<{ subscriptions: number; planned: number; skipped: number }> {
  const stamp = now.toISOString();
  const available = new Date(Math.min(now.getTime(), availableAt.getTime())).toISOString();
  return ctx.write(async (conn) => {
    const subs = await conn
      .selectFrom("digest_subscriptions")
      .selectAll()
      .where("state", "=", "active")
      .where("next_due_at", "<=", stamp)
      .orderBy("next_due_at")
      .limit(limit)
      .execute();
    let planned = 0;
    let skipped = 0;
    const rows: DeliveryRow[] = [];
    for (const sub of await withTargets(conn, subs, ctx.maxParams)) {
      const after = new Date(Date.parse(sub.nextDueAt as string) - 1);
      const { due } = periodsDue(sub.schedule, after, now);
      due.forEach((period, i) => {
        const stale = i < due.length - MAX_CATCH_UP;
        for (const channel of channelsOf(sub)) {
          rows.push({
            subscription_id: sub.id,
            period_key: period.key,
            channel,
            state: stale ? "skipped" : "pending",
            due_at: period.dueAt.toISOString(),
            attempts: 0,
            next_attempt_at: available,
            locked_by: null,
            locked_until: null,
            message_id: messageIdLocal(sub.id, period.key, channel),
            content_json: null,
            reason: stale ? "superseded: a later digest was due before this one could be sent" : null,
            created_at: stamp,
            updated_at: stamp,
            sent_at: null,
          });
          if (stale) skipped++;
          else planned++;
        }
      });
      await conn
        .updateTable("digest_subscriptions")
        .set({ next_due_at: nextPeriod(sub.schedule, now).dueAt.toISOString(), updated_at: stamp })
        .where("id", "=", sub.id)
        .execute();
    }
    // 15 columns a row: stay under the dialect's bound-parameter limit.
    const per = Math.max(1, Math.floor(ctx.maxParams / 16));
    for (let i = 0; i < rows.length; i += per) await insertRows(conn, rows.slice(i, i + per));
    return { subscriptions: subs.length, planned, skipped };
  });
}

async function insertRows(conn: Kysely<Database>, rows: DeliveryRow[]): Promise<void> {
  if (rows.length === 0) return;
  await conn
    .insertInto("digest_deliveries")
    .values(rows)
    .onConflict((oc) => oc.columns(["subscription_id", "period_key", "channel"]).doNothing())
    .execute();
}

/**
 * Claims up to `limit` deliveries for `workerId` until `leaseMs` from now: pending ones whose time has come,
 * and `sending` ones whose worker's lease ran out (that worker died mid-send; see docs in src/jobs/digests.ts
 * for why they are sent again). A delivery whose subscription is no longer active is skipped, not claimed.
 */
export async function claimDeliveries(
  ctx: RepoContext,
  workerId: string,
  options: { limit: number; leaseMs: number; now: Date; channels?: readonly Channel[] },
): Promise<ClaimedDelivery[]> {
  const stamp = options.now.toISOString();
  const until = new Date(options.now.getTime() + options.leaseMs).toISOString();
  return ctx.write(async (conn) => {
    let query = conn
      .selectFrom("digest_deliveries")
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb("state", "=", "pending"), eb("next_attempt_at", "<=", stamp)]),
          eb.and([eb("state", "=", "sending"), eb("locked_until", "<", stamp)]),
        ]),
      )
      .orderBy("next_attempt_at")
      .orderBy("subscription_id")
      .limit(options.limit);
    if (options.channels?.length) query = query.where("channel", "in", options.channels);
    const rows = await query.execute();
    if (rows.length === 0) return [];
    const subIds = [...new Set(rows.map((r) => r.subscription_id))];
    const subRows = await conn
      .selectFrom("digest_subscriptions")
      .selectAll()
      .where("id", "in", subIds)
      .execute();
    const subs = new Map((await withTargets(conn, subRows, ctx.maxParams)).map((s) => [s.id, s]));
    const claimed: ClaimedDelivery[] = [];
    for (const row of rows) {
      const sub = subs.get(row.subscription_id);
      const key = toDelivery(row);
      if (sub?.state !== "active") {
        await setState(
          conn,
          key,
          { state: "skipped", reason: `subscription ${sub?.state ?? "deleted"}` },
          stamp,
        );
        continue;
      }
      await conn
        .updateTable("digest_deliveries")
        .set({
          state: "sending",
          locked_by: workerId,
          locked_until: until,
          attempts: Number(row.attempts) + 1,
          updated_at: stamp,
        })
        .where("subscription_id", "=", row.subscription_id)
        .where("period_key", "=", row.period_key)
        .where("channel", "=", row.channel)
        .execute();
      claimed.push({ ...key, state: "sending", attempts: Number(row.attempts) + 1, subscription: sub });
    }
    return claimed;
  });
}

async function setState(
  conn: Kysely<Database>,
  key: DeliveryKey,
  change: { state: DeliveryState; reason?: string | null; nextAttemptAt?: string; sentAt?: string },
  stamp: string,
  heldBy?: string,
): Promise<boolean> {
  let query = conn
    .updateTable("digest_deliveries")
    .set({
      state: change.state,
      ...(change.reason !== undefined ? { reason: change.reason } : {}),
      ...(change.nextAttemptAt ? { next_attempt_at: change.nextAttemptAt } : {}),
      ...(change.sentAt ? { sent_at: change.sentAt } : {}),
      locked_by: null,
      locked_until: null,
      updated_at: stamp,
    })
    .where("subscription_id", "=", key.subscriptionId)
    .where("period_key", "=", key.periodKey)
    .where("channel", "=", key.channel);
  if (heldBy !== undefined) query = query.where("locked_by", "=", heldBy).where("state", "=", "sending");
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Fixes what a (subscription, period) digest holds, once: the first call stores `content` on every channel's
 * row and records its recommendations as suggested to the member; later calls (a retry, another channel)
 * get the stored content back, so every attempt and channel sends the same digest.
 */
export async function fixContent(
  ctx: RepoContext,
  subscriptionId: string,
  periodKey: string,
  content: DigestContent,
  userId: string | null,
  now: Date,
): Promise<DigestContent> {
  const stamp = now.toISOString();
  return ctx.write(async (conn) => {
    const existing = await conn
      .selectFrom("digest_deliveries")
      .select("content_json")
      .where("subscription_id", "=", subscriptionId)
      .where("period_key", "=", periodKey)
      .where("content_json", "is not", null)
      .executeTakeFirst();
    if (existing?.content_json) return JSON.parse(existing.content_json) as DigestContent;
    await conn
      .updateTable("digest_deliveries")
      .set({ content_json: JSON.stringify(content), updated_at: stamp })
      .where("subscription_id", "=", subscriptionId)
      .where("period_key", "=", periodKey)
      .execute();
    const ids = recommendedIds(content);
    if (userId && ids.length > 0) {
      await conn
        .insertInto("digest_suggestions")
        .values(
          ids.map((id) => ({ user_id: userId, arxiv_id: id, period_key: periodKey, suggested_at: stamp })),
        )
        .onConflict((oc) => oc.columns(["user_id", "arxiv_id"]).doNothing())
        .execute();
    }
    return content;
  });
}

/** The content already fixed for a (subscription, period), if any. */
export async function fixedContent(
  ctx: RepoContext,
  subscriptionId: string,
  periodKey: string,
): Promise<DigestContent | null> {
  const row = await ctx.db
    .selectFrom("digest_deliveries")
    .select("content_json")
    .where("subscription_id", "=", subscriptionId)
    .where("period_key", "=", periodKey)
    .where("content_json", "is not", null)
    .executeTakeFirst();
  return row?.content_json ? (JSON.parse(row.content_json) as DigestContent) : null;
}

/** Records a delivery the receiver accepted. False when `workerId` no longer held it (nothing changed). */
export function markSent(
  ctx: RepoContext,
  key: DeliveryKey,
  workerId: string,
  now: Date,
  /** The subscription had hard failures: a success clears the count (they must be consecutive). */
  clearFailures: boolean,
): Promise<boolean> {
  const stamp = now.toISOString();
  return ctx.write(async (conn) => {
    const done = await setState(conn, key, { state: "sent", reason: null, sentAt: stamp }, stamp, workerId);
    if (done && clearFailures) {
      await conn
        .updateTable("digest_subscriptions")
        .set({ hard_failures: 0 })
        .where("id", "=", key.subscriptionId)
        .where("hard_failures", ">", 0)
        .execute();
    }
    return done;
  });
}

/** Extends a claim; false when `workerId` no longer holds it (its lease ran out and another run took it). */
export async function renewClaim(
  ctx: RepoContext,
  key: DeliveryKey,
  workerId: string,
  until: Date,
  now: Date,
): Promise<boolean> {
  const result = await ctx.write((conn) =>
    conn
      .updateTable("digest_deliveries")
      .set({ locked_until: until.toISOString(), updated_at: now.toISOString() })
      .where("subscription_id", "=", key.subscriptionId)
      .where("period_key", "=", key.periodKey)
      .where("channel", "=", key.channel)
      .where("state", "=", "sending")
      .where("locked_by", "=", workerId)
      .executeTakeFirst(),
  );
  return Number(result.numUpdatedRows) > 0;
}

/** A soft failure: back to pending until `retryAt`. */
export function markRetry(
  ctx: RepoContext,
  key: DeliveryKey,
  workerId: string,
  reason: string,
  retryAt: Date,
  now: Date,
): Promise<boolean> {
  return ctx.write((conn) =>
    setState(
      conn,
      key,
      { state: "pending", reason: reason.slice(0, 500), nextAttemptAt: retryAt.toISOString() },
      now.toISOString(),
      workerId,
    ),
  );
}

/**
 * Gives up on a delivery. A hard failure (the receiver refused the address) also counts against the
 * subscription, which is disabled after HARD_FAILURE_LIMIT in a row.
 */
export function markFailed(
  ctx: RepoContext,
  key: DeliveryKey,
  workerId: string,
  reason: string,
  hard: boolean,
  now: Date,
): Promise<boolean> {
  const stamp = now.toISOString();
  return ctx.write(async (conn) => {
    const done = await setState(
      conn,
      key,
      { state: "failed", reason: reason.slice(0, 500) },
      stamp,
      workerId,
    );
    if (done && hard) {
      const sub = await conn
        .selectFrom("digest_subscriptions")
        .select(["hard_failures", "state"])
        .where("id", "=", key.subscriptionId)
        .executeTakeFirst();
      if (sub) {
        const failures = Number(sub.hard_failures) + 1;
        const disable = failures >= HARD_FAILURE_LIMIT && sub.state === "active";
        await conn
          .updateTable("digest_subscriptions")
          .set({
            hard_failures: failures,
            last_failure: reason.slice(0, 500),
            updated_at: stamp,
            ...(disable ? { state: "disabled", next_due_at: null } : {}),
          })
          .where("id", "=", key.subscriptionId)
          .execute();
      }
    }
    return done;
  });
}

/** Records that a claimed delivery was deliberately not sent (nothing to say, say), with the reason. */
export function markSkipped(
  ctx: RepoContext,
  key: DeliveryKey,
  workerId: string,
  reason: string,
  now: Date,
): Promise<boolean> {
  return ctx.write((conn) =>
    setState(conn, key, { state: "skipped", reason: reason.slice(0, 500) }, now.toISOString(), workerId),
  );
}

export async function listDeliveries(
  ctx: RepoContext,
  filter: { subscriptionId?: string; state?: DeliveryState; limit?: number },
): Promise<Delivery[]> {
  let query = ctx.db.selectFrom("digest_deliveries").selectAll();
  if (filter.subscriptionId) query = query.where("subscription_id", "=", filter.subscriptionId);
  if (filter.state) query = query.where("state", "=", filter.state);
  const rows = await query
    .orderBy("due_at")
    .orderBy("subscription_id")
    .orderBy("channel")
    .limit(Math.min(100_000, Math.max(1, filter.limit ?? 1000)))
    .execute();
  return rows.map(toDelivery);
}

export async function deliveryCounts(ctx: RepoContext): Promise<Record<DeliveryState, number>> {
  const rows = await ctx.db
    .selectFrom("digest_deliveries")
    .select(["state", (eb) => eb.fn.countAll<string>().as("n")])
    .groupBy("state")
    .execute();
  const out: Record<DeliveryState, number> = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
  for (const r of rows) out[r.state as DeliveryState] = Number(r.n);
  return out;
}
