import type { Migration } from "kysely";
import type { DigestContent } from "../../core/digest.ts";
import type { RepoContext } from "../repo.ts";
import { type CategoryCount, categoryCounts } from "./categories.ts";
import {
  claimDeliveries,
  deliveryCounts,
  fixContent,
  fixedContent,
  listDeliveries,
  markFailed,
  markRetry,
  markSent,
  markSkipped,
  planDue,
  renewClaim,
} from "./deliveries.ts";
import { digestsMigration, digestTargetsMigration } from "./migration.ts";
import {
  confirmSubscription,
  dismiss,
  dismissed,
  getSubscription,
  listSubscriptions,
  subscribe,
  subscriptionCounts,
  subscriptionsOf,
  suggestedTo,
  unsubscribe,
  updateSubscription,
} from "./subscriptions.ts";
import type {
  Channel,
  ClaimedDelivery,
  Delivery,
  DeliveryKey,
  DeliveryState,
  NewSubscription,
  Subscription,
  SubscriptionChange,
  SubscriptionState,
} from "./types.ts";

export type { CategoryCount } from "./categories.ts";
export { messageIdLocal } from "./deliveries.ts";
export { normalizeEmail } from "./subscriptions.ts";
export * from "./types.ts";

/** Migrations of the digests module, merged into the store's list. */
export const digestsMigrations: Record<string, Migration> = {
  "0007_digests": digestsMigration,
  "0009_digest_targets": digestTargetsMigration,
};

/**
 * Digest subscriptions and the delivery ledger (`store.digests`). Each digest is one row per (subscription,
 * period, channel) that moves pending → sending → sent (or failed / skipped, with the reason); see
 * src/jobs/digests.ts for how the worker drives it and what a crash leaves behind.
 */
export interface Digests {
  subscribe(input: NewSubscription, now?: Date): Promise<Subscription>;
  /** Pending → active (the double opt-in link); null for an unknown id. */
  confirm(id: string, now?: Date): Promise<Subscription | null>;
  get(id: string): Promise<Subscription | null>;
  ofUser(userId: string): Promise<Subscription[]>;
  update(id: string, change: SubscriptionChange, now?: Date): Promise<Subscription>;
  /** Ends the subscription and skips its unsent deliveries; null for an unknown id. */
  unsubscribe(id: string, now?: Date): Promise<Subscription | null>;
  list(filter?: {
    state?: SubscriptionState;
    email?: string;
    limit?: number;
    offset?: number;
  }): Promise<Subscription[]>;
  counts(): Promise<Record<SubscriptionState, number>>;

  /**
   * Creates the deliveries due at `now` for up to `limit` subscriptions, claimable from `availableAt` (the
   * real clock) or `now`, whichever is earlier.
   */
  plan(
    now: Date,
    limit?: number,
    availableAt?: Date,
  ): Promise<{ subscriptions: number; planned: number; skipped: number }>;
  claim(
    workerId: string,
    options: { limit: number; leaseMs: number; now?: Date; channels?: readonly Channel[] },
  ): Promise<ClaimedDelivery[]>;
  /** Fixes a digest's content on first use (and records its recommendations); returns what was fixed. */
  fixContent(
    subscriptionId: string,
    periodKey: string,
    content: DigestContent,
    userId: string | null,
    now?: Date,
  ): Promise<DigestContent>;
  fixedContent(subscriptionId: string, periodKey: string): Promise<DigestContent | null>;
  /** Extends a claim before a late send; false when the claim was lost (then it must not be sent). */
  renew(key: DeliveryKey, workerId: string, until: Date, now?: Date): Promise<boolean>;
  /** `clearFailures`: the subscription had hard failures, which a success resets. */
  markSent(key: DeliveryKey, workerId: string, now?: Date, clearFailures?: boolean): Promise<boolean>;
  markRetry(key: DeliveryKey, workerId: string, reason: string, retryAt: Date, now?: Date): Promise<boolean>;
  markFailed(key: DeliveryKey, workerId: string, reason: string, hard: boolean, now?: Date): Promise<boolean>;
  markSkipped(key: DeliveryKey, workerId: string, reason: string, now?: Date): Promise<boolean>;
  deliveries(filter?: {
    subscriptionId?: string;
    state?: DeliveryState;
    limit?: number;
  }): Promise<Delivery[]>;
  deliveryCounts(): Promise<Record<DeliveryState, number>>;

  /** Papers already recommended to the member in a digest. */
  suggested(userId: string): Promise<Set<string>>;
  /** "Not interested". */
  dismiss(userId: string, paperId: string, now?: Date): Promise<void>;
  dismissed(userId: string): Promise<string[]>;

  /** The categories the library's papers are in, with their paper counts, most first (what a digest can follow). */
  categoryCounts(limit?: number): Promise<CategoryCount[]>;
}

export function createDigests(ctx: RepoContext): Digests {
  const at = (now?: Date) => now ?? new Date();
  return {
    subscribe: (input, now) => subscribe(ctx, input, at(now).toISOString()),
    confirm: (id, now) => confirmSubscription(ctx, id, at(now).toISOString()),
    get: (id) => getSubscription(ctx, id),
    ofUser: (userId) => subscriptionsOf(ctx, userId),
    update: (id, change, now) => updateSubscription(ctx, id, change, at(now).toISOString()),
    unsubscribe: (id, now) => unsubscribe(ctx, id, at(now).toISOString()),
    list: (filter) => listSubscriptions(ctx, filter ?? {}),
    counts: () => subscriptionCounts(ctx),

    plan: (now, limit, availableAt) => planDue(ctx, now, limit ?? 500, availableAt ?? now),
    claim: (workerId, options) => claimDeliveries(ctx, workerId, { ...options, now: at(options.now) }),
    fixContent: (subscriptionId, periodKey, content, userId, now) =>
      fixContent(ctx, subscriptionId, periodKey, content, userId, at(now)),
    fixedContent: (subscriptionId, periodKey) => fixedContent(ctx, subscriptionId, periodKey),
    renew: (key, workerId, until, now) => renewClaim(ctx, key, workerId, until, at(now)),
    markSent: (key, workerId, now, clearFailures) =>
      markSent(ctx, key, workerId, at(now), clearFailures ?? true),
    markRetry: (key, workerId, reason, retryAt, now) =>
      markRetry(ctx, key, workerId, reason, retryAt, at(now)),
    markFailed: (key, workerId, reason, hard, now) => markFailed(ctx, key, workerId, reason, hard, at(now)),
    markSkipped: (key, workerId, reason, now) => markSkipped(ctx, key, workerId, reason, at(now)),
    deliveries: (filter) => listDeliveries(ctx, filter ?? {}),
    deliveryCounts: () => deliveryCounts(ctx),

    suggested: (userId) => suggestedTo(ctx, userId),
    dismiss: (userId, paperId, now) => dismiss(ctx, userId, paperId, at(now).toISOString()),
    dismissed: (userId) => dismissed(ctx, userId),
    categoryCounts: (limit) => categoryCounts(ctx, limit ?? 200),
  };
}
