import type { DeliverySchedule, DigestContent, DigestContents } from "../../core/digest.ts";
import { PaperboyError } from "../../core/errors.ts";

export const SUBSCRIPTION_STATES = ["pending", "active", "unsubscribed", "disabled"] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

export const CHANNELS = ["email", "slack", "webhook"] as const;
export type Channel = (typeof CHANNELS)[number];

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
  slackUrl: string | null;
  webhookUrl: string | null;
  /** Signs webhook bodies (HMAC-SHA256); made when a webhook is first set. */
  webhookSecret: string | null;
  hardFailures: number;
  lastFailure: string | null;
  nextDueAt: string | null;
  createdAt: string;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
}

export interface NewSubscription {
  email: string;
  userId?: string | null;
  schedule: DeliverySchedule;
  contents: DigestContents;
  /** Skip the confirmation mail: a member subscribing their own verified address. */
  confirmed?: boolean;
  emailEnabled?: boolean;
  slackUrl?: string | null;
  webhookUrl?: string | null;
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
  slackUrl?: string | null;
  webhookUrl?: string | null;
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
