/**
 * Subscriptions' targets (`digest_subscription_targets`): where digests go besides mail. The store keeps a
 * channel's kind and settings as it is given them; what a kind means is the channel's business
 * (src/mail/digest/channels).
 */
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../schema.ts";
import { toSubscription, toTarget } from "./rows.ts";
import type { DigestSubscriptionsTable } from "./tables.ts";
import { DigestStoreError, type NewTarget, type Subscription, type SubscriptionTarget } from "./types.ts";

function newSecret(): string {
  return randomBytes(24).toString("base64url");
}

/** Subscriptions from their rows, each with its targets (one query per `maxParams` subscriptions). */
export async function withTargets(
  db: Kysely<Database>,
  rows: readonly DigestSubscriptionsTable[],
  maxParams: number,
): Promise<Subscription[]> {
  const byId = new Map<string, SubscriptionTarget[]>(rows.map((r) => [r.id, []]));
  const ids = [...byId.keys()];
  const per = Math.max(1, maxParams - 1);
  for (let i = 0; i < ids.length; i += per) {
    const found = await db
      .selectFrom("digest_subscription_targets")
      .selectAll()
      .where("subscription_id", "in", ids.slice(i, i + per))
      .orderBy("subscription_id")
      .orderBy("kind")
      .execute();
    for (const t of found) byId.get(t.subscription_id)?.push(toTarget(t));
  }
  return rows.map((r) => toSubscription(r, byId.get(r.id) ?? []));
}

/**
 * Makes `targets` the subscription's targets, inside the caller's write: a kind no longer listed is removed,
 * a kind still listed gets its new settings and keeps its secret and creation time.
 */
export async function replaceTargets(
  conn: Kysely<Database>,
  subscriptionId: string,
  targets: readonly NewTarget[],
  now: string,
): Promise<void> {
  const kinds = targets.map((t) => t.kind);
  if (new Set(kinds).size !== kinds.length) {
    throw new DigestStoreError("invalid_input", "a subscription keeps at most one target of each kind");
  }
  const existing = new Map(
    (
      await conn
        .selectFrom("digest_subscription_targets")
        .selectAll()
        .where("subscription_id", "=", subscriptionId)
        .execute()
    ).map((t) => [t.kind, t]),
  );
  let removal = conn.deleteFrom("digest_subscription_targets").where("subscription_id", "=", subscriptionId);
  if (kinds.length > 0) removal = removal.where("kind", "not in", kinds);
  await removal.execute();
  for (const target of targets) {
    const before = existing.get(target.kind);
    const config_json = JSON.stringify(target.config);
    const secret = target.withSecret ? (before?.secret ?? newSecret()) : null;
    if (before) {
      await conn
        .updateTable("digest_subscription_targets")
        .set({ config_json, secret })
        .where("subscription_id", "=", subscriptionId)
        .where("kind", "=", target.kind)
        .execute();
    } else {
      await conn
        .insertInto("digest_subscription_targets")
        .values({ subscription_id: subscriptionId, kind: target.kind, config_json, secret, created_at: now })
        .execute();
    }
  }
}
