import type { DeliverySchedule, DigestContent, DigestContents, Frequency } from "../../core/digest.ts";
import type {
  DigestDeliveriesTable,
  DigestSubscriptionsTable,
  DigestSubscriptionTargetsTable,
} from "./tables.ts";
import type {
  Channel,
  Delivery,
  DeliveryState,
  Subscription,
  SubscriptionState,
  SubscriptionTarget,
} from "./types.ts";

export function toTarget(r: DigestSubscriptionTargetsTable): SubscriptionTarget {
  return {
    kind: r.kind,
    config: JSON.parse(r.config_json) as Record<string, string>,
    secret: r.secret,
    createdAt: r.created_at,
  };
}

export function toSubscription(r: DigestSubscriptionsTable, targets: SubscriptionTarget[]): Subscription {
  const schedule: DeliverySchedule = {
    frequency: r.frequency as Frequency,
    hour: Number(r.hour),
    weekday: Number(r.weekday),
    timeZone: r.time_zone,
  };
  return {
    id: r.id,
    email: r.email,
    userId: r.user_id,
    state: r.state as SubscriptionState,
    schedule,
    contents: JSON.parse(r.contents_json) as DigestContents,
    emailEnabled: Number(r.email_enabled) === 1,
    targets,
    hardFailures: Number(r.hard_failures),
    lastFailure: r.last_failure,
    nextDueAt: r.next_due_at,
    createdAt: r.created_at,
    confirmedAt: r.confirmed_at,
    unsubscribedAt: r.unsubscribed_at,
  };
}

export function toDelivery(r: DigestDeliveriesTable): Delivery {
  return {
    subscriptionId: r.subscription_id,
    periodKey: r.period_key,
    channel: r.channel as Channel,
    state: r.state as DeliveryState,
    dueAt: r.due_at,
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    messageId: r.message_id,
    content: r.content_json ? (JSON.parse(r.content_json) as DigestContent) : null,
    reason: r.reason,
    sentAt: r.sent_at,
  };
}
