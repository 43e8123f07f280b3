import { randomBytes } from "node:crypto";
import { checkSchedule, nextPeriod } from "../../core/digest.ts";
import type { RepoContext } from "../repo.ts";
import { replaceTargets, withTargets } from "./targets.ts";
import {
  DigestStoreError,
  type NewSubscription,
  type Subscription,
  type SubscriptionChange,
  type SubscriptionState,
} from "./types.ts";

function newId(): string {
  return randomBytes(12).toString("base64url");
}

/** Addresses compare without case; they are kept as typed otherwise. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function getSubscription(ctx: RepoContext, id: string): Promise<Subscription | null> {
  const row = await ctx.db
    .selectFrom("digest_subscriptions")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  const [sub] = await withTargets(ctx.db, [row], ctx.maxParams);
  return sub ?? null;
}

export async function subscribe(
  ctx: RepoContext,
  input: NewSubscription,
  now: string,
): Promise<Subscription> {
  const schedule = checkSchedule(input.schedule);
  const id = newId();
  const confirmed = input.confirmed === true;
  await ctx.write(async (conn) => {
    const { userId, maxPerUser } = input;
    if (userId && maxPerUser !== undefined) {
      const kept = await conn
        .selectFrom("digest_subscriptions")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("user_id", "=", userId)
        .where("state", "in", ["pending", "active"])
        .executeTakeFirst();
      if (Number(kept?.n ?? 0) >= maxPerUser) {
        throw new DigestStoreError("limit_reached", `the member already keeps ${maxPerUser} subscriptions`);
      }
    }
    if (userId && !confirmed && input.onePending) {
      const waiting = await conn
        .selectFrom("digest_subscriptions")
        .select("id")
        .where("user_id", "=", userId)
        .where("state", "=", "pending")
        .executeTakeFirst();
      if (waiting) {
        throw new DigestStoreError("pending_exists", "a subscription of the member awaits confirmation");
      }
    }
    await conn
      .insertInto("digest_subscriptions")
      .values({
        id,
        email: normalizeEmail(input.email),
        user_id: input.userId ?? null,
        state: confirmed ? "active" : "pending",
        frequency: schedule.frequency,
        hour: schedule.hour,
        weekday: schedule.weekday,
        time_zone: schedule.timeZone,
        contents_json: JSON.stringify(input.contents),
        email_enabled: input.emailEnabled === false ? 0 : 1,
        hard_failures: 0,
        last_failure: null,
        next_due_at: confirmed ? nextPeriod(schedule, new Date(now)).dueAt.toISOString() : null,
        created_at: now,
        confirmed_at: confirmed ? now : null,
        unsubscribed_at: null,
        updated_at: now,
      })
      .execute();
    if (input.targets?.length) await replaceTargets(conn, id, input.targets, now);
  });
  const created = await getSubscription(ctx, id);
  if (!created) throw new DigestStoreError("not_found", "the subscription vanished after it was made");
  return created;
}

/**
 * Follows the confirmation link: a pending subscription becomes active and its first period is the next one
 * due after `now` (nothing is sent for periods before the reader confirmed). Confirming twice is harmless.
 */
export async function confirmSubscription(
  ctx: RepoContext,
  id: string,
  now: string,
): Promise<Subscription | null> {
  const current = await getSubscription(ctx, id);
  if (!current) return null;
  if (current.state !== "pending") return current;
  await ctx.write((conn) =>
    conn
      .updateTable("digest_subscriptions")
      .set({
        state: "active",
        confirmed_at: now,
        updated_at: now,
        next_due_at: nextPeriod(current.schedule, new Date(now)).dueAt.toISOString(),
      })
      .where("id", "=", id)
      .where("state", "=", "pending")
      .execute(),
  );
  return getSubscription(ctx, id);
}

export async function updateSubscription(
  ctx: RepoContext,
  id: string,
  change: SubscriptionChange,
  now: string,
): Promise<Subscription> {
  const current = await getSubscription(ctx, id);
  if (!current) throw new DigestStoreError("not_found", "no such subscription");
  const schedule = change.schedule ? checkSchedule(change.schedule) : current.schedule;
  await ctx.write(async (conn) => {
    await conn
      .updateTable("digest_subscriptions")
      .set({
        frequency: schedule.frequency,
        hour: schedule.hour,
        weekday: schedule.weekday,
        time_zone: schedule.timeZone,
        contents_json: JSON.stringify(change.contents ?? current.contents),
        email_enabled: (change.emailEnabled ?? current.emailEnabled) ? 1 : 0,
        // A new schedule starts with its next period; periods already planned keep their deliveries.
        ...(change.schedule && current.state === "active"
          ? { next_due_at: nextPeriod(schedule, new Date(now)).dueAt.toISOString() }
          : {}),
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
    if (change.targets) await replaceTargets(conn, id, change.targets, now);
  });
  return (await getSubscription(ctx, id)) as Subscription;
}

/**
 * Ends a subscription: no period is planned any more, and deliveries not yet sent are skipped, so nothing
 * reaches the reader after this returns (a send already handed to the SMTP server cannot be called back).
 */
export async function unsubscribe(ctx: RepoContext, id: string, now: string): Promise<Subscription | null> {
  await ctx.write(async (conn) => {
    await conn
      .updateTable("digest_subscriptions")
      .set({ state: "unsubscribed", unsubscribed_at: now, next_due_at: null, updated_at: now })
      .where("id", "=", id)
      .where("state", "!=", "unsubscribed")
      .execute();
    await conn
      .updateTable("digest_deliveries")
      .set({ state: "skipped", reason: "unsubscribed", locked_by: null, locked_until: null, updated_at: now })
      .where("subscription_id", "=", id)
      .where("state", "=", "pending")
      .execute();
  });
  return getSubscription(ctx, id);
}

export async function subscriptionsOf(ctx: RepoContext, userId: string): Promise<Subscription[]> {
  const rows = await ctx.db
    .selectFrom("digest_subscriptions")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return withTargets(ctx.db, rows, ctx.maxParams);
}

export async function listSubscriptions(
  ctx: RepoContext,
  filter: { state?: SubscriptionState; email?: string; limit?: number; offset?: number },
): Promise<Subscription[]> {
  let query = ctx.db.selectFrom("digest_subscriptions").selectAll();
  if (filter.state) query = query.where("state", "=", filter.state);
  if (filter.email) query = query.where("email", "=", normalizeEmail(filter.email));
  const rows = await query
    .orderBy("created_at")
    .orderBy("id")
    .limit(Math.min(10_000, Math.max(1, filter.limit ?? 100)))
    .offset(Math.max(0, filter.offset ?? 0))
    .execute();
  return withTargets(ctx.db, rows, ctx.maxParams);
}

export async function subscriptionCounts(ctx: RepoContext): Promise<Record<SubscriptionState, number>> {
  const rows = await ctx.db
    .selectFrom("digest_subscriptions")
    .select(["state", (eb) => eb.fn.countAll<string>().as("n")])
    .groupBy("state")
    .execute();
  const out: Record<SubscriptionState, number> = { pending: 0, active: 0, unsubscribed: 0, disabled: 0 };
  for (const r of rows) out[r.state as SubscriptionState] = Number(r.n);
  return out;
}

export async function dismiss(ctx: RepoContext, userId: string, paperId: string, now: string): Promise<void> {
  await ctx.write((conn) =>
    conn
      .insertInto("digest_dismissals")
      .values({ user_id: userId, arxiv_id: paperId, created_at: now })
      .onConflict((oc) => oc.columns(["user_id", "arxiv_id"]).doNothing())
      .execute(),
  );
}

export async function dismissed(ctx: RepoContext, userId: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom("digest_dismissals")
    .select("arxiv_id")
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .limit(1000)
    .execute();
  return rows.map((r) => r.arxiv_id);
}

export async function suggestedTo(ctx: RepoContext, userId: string): Promise<Set<string>> {
  const rows = await ctx.db
    .selectFrom("digest_suggestions")
    .select("arxiv_id")
    .where("user_id", "=", userId)
    .execute();
  return new Set(rows.map((r) => r.arxiv_id));
}
