import type { DeliverySchedule, DigestContent, DigestContents } from "../../core/digest.ts";
import { PaperboyError } from "../../core/errors.ts";

export const SUBSCRIPTION_STATES = ["pending", "active", "unsubscribed", "disabled"] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

/**
 * A delivery's channel: `email` (the subscription's own address), or the kind of one of its targets (`slack`,
 * `webhook`: the channels in src/mail/digest/channels). The store keeps kinds as it is given them.
 */
export type Channel = string;

export const DELIVERY_STATES = ["pending", "sending", "sent", "failed", "skipped"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** Hard failures (SMTP 5xx, a webhook answering 4xx) in a row after which a subscription is disabled. */
export const HARD_FAILURE_LIMIT = 3;

export interface Subscription {
  id: string;
  email: string;
  userId: string | null;
  state: SubscriptionState;
  schedule: DeliverySchedule;
  contents: DigestContents;
  emailEnabled: boolean;
  /** Where digests go besides mail, one per kind, ordered by kind. */
  targets: SubscriptionTarget[];
  hardFailures: number;
  lastFailure: string | null;
  nextDueAt: string | null;
  createdAt: string;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
}

/** A place a subscription's digests go besides its email address: a Slack channel, a webhook. */
export interface SubscriptionTarget {
  /** The channel's kind; also the delivery ledger's `channel`. */
  kind: string;
  /** The channel's settings (a URL, say) as its check made them, kept as JSON. */
  config: Readonly<Record<string, string>>;
  /** A secret made by the store for a target that asked for one (a webhook signs its bodies with it). */
  secret: string | null;
  createdAt: string;
}

/** A target to keep: at most one per kind in a subscription. */
export interface NewTarget {
  kind: string;
  config: Readonly<Record<string, string>>;
  /** Give it a secret, made here and kept as long as the subscription keeps a target of this kind. */
  withSecret?: boolean;
}

export interface NewSubscription {
  email: string;
  userId?: string | null;
  schedule: DeliverySchedule;
  contents: DigestContents;
  /** Skip the confirmation mail: a member subscribing their own verified address. */
  confirmed?: boolean;
  emailEnabled?: boolean;
  targets?: readonly NewTarget[];
  /**
   * Refuse (`limit_reached`) when the member (`userId`) already keeps this many live subscriptions, pending or
   * active; counted in the same write transaction as the insert, so concurrent requests cannot pass it.
   */
  maxPerUser?: number;
  /**
   * For an unconfirmed subscription of a member: refuse (`pending_exists`) when one of theirs is already
   * waiting for confirmation, so an address nobody confirmed gets one confirmation mail at a time. Checked in
   * the insert's write transaction.
   */
  onePending?: boolean;
}

export interface SubscriptionChange {
  schedule?: DeliverySchedule;
  contents?: DigestContents;
  emailEnabled?: boolean;
  /** The targets from now on: a kind left out is removed, a kind kept keeps its secret. */
  targets?: readonly NewTarget[];
}

export interface DeliveryKey {
  subscriptionId: string;
  periodKey: string;
  channel: Channel;
}

export interface Delivery extends DeliveryKey {
  state: DeliveryState;
  dueAt: string;
  attempts: number;
  nextAttemptAt: string;
  messageId: string;
  content: DigestContent | null;
  reason: string | null;
  sentAt: string | null;
}

/** A delivery claimed by a worker, with its subscription as it is now. */
export interface ClaimedDelivery extends Delivery {
  subscription: Subscription;
}

export type DigestStoreErrorCode = "not_found" | "invalid_input" | "limit_reached" | "pending_exists";

export class DigestStoreError extends PaperboyError {
  declare readonly code: DigestStoreErrorCode;
  constructor(code: DigestStoreErrorCode, message: string) {
    super(code, message);
    this.name = "DigestStoreError";
  }
}
