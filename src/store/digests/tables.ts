/** Tables of the digests module, merged into `Database` (schema.ts). Timestamps are ISO 8601 text. */

/**
 * A digest subscription, by email (members' rows also name the user). `pending` until the confirmation link
 * is followed; `active` gets digests; `unsubscribed` by the reader; `disabled` after repeated hard failures.
 */
export interface DigestSubscriptionsTable {
  id: string;
  email: string;
  user_id: string | null;
  state: string;
  frequency: string;
  hour: number;
  weekday: number;
  time_zone: string;
  /** DigestContents as JSON. */
  contents_json: string;
  /** Whether mail goes to `email` (a team may want Slack only); other channels are its targets. */
  email_enabled: number;
  hard_failures: number;
  last_failure: string | null;
  /** When the next period is due; the planner picks rows whose time has come through an index on it. */
  next_due_at: string | null;
  created_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  updated_at: string;
}

/**
 * Where a subscription's digests go besides mail, one row per channel kind (since 0009; before, Slack and
 * webhook URLs were columns of `digest_subscriptions`).
 */
export interface DigestSubscriptionTargetsTable {
  subscription_id: string;
  kind: string;
  /** The channel's settings as a JSON object of strings. */
  config_json: string;
  secret: string | null;
  created_at: string;
}

/**
 * One digest for one (subscription, period, channel): `pending` → `sending` → `sent`, or `failed` / `skipped`
 * with the reason. The primary key is what makes a digest exist at most once.
 */
export interface DigestDeliveriesTable {
  subscription_id: string;
  period_key: string;
  channel: string;
  state: string;
  due_at: string;
  attempts: number;
  next_attempt_at: string;
  locked_by: string | null;
  locked_until: string | null;
  /** Deterministic per (subscription, period): a resend after a crash carries the same Message-ID. */
  message_id: string;
  /** DigestContent as JSON, fixed at the first attempt so a retry sends the same digest. */
  content_json: string | null;
  reason: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

/** Papers recommended to a member in a digest: never recommended to them again. */
export interface DigestSuggestionsTable {
  user_id: string;
  arxiv_id: string;
  period_key: string;
  suggested_at: string;
}

/** "Not interested": a negative signal for recommendations, and the paper is never recommended. */
export interface DigestDismissalsTable {
  user_id: string;
  arxiv_id: string;
  created_at: string;
}

export interface DigestsTables {
  digest_subscriptions: DigestSubscriptionsTable;
  digest_subscription_targets: DigestSubscriptionTargetsTable;
  digest_deliveries: DigestDeliveriesTable;
  digest_suggestions: DigestSuggestionsTable;
  digest_dismissals: DigestDismissalsTable;
}
