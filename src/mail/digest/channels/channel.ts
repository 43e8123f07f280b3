/**
 * What a digest channel besides mail is: a kind of place digests go (Slack, a webhook), with the form inputs
 * a member fills in, the check of what they typed, the send, and a line that names a target for people.
 * Channels are listed in `registry.ts`; the store keeps each subscription's targets (kind, settings, secret)
 * without knowing what a kind means.
 */
import type { DigestContent } from "../../../core/digest.ts";
import type { Paper } from "../../../core/index.ts";
import type { OutboundOptions, OutboundPolicy } from "../../../net/guarded-fetch.ts";
import type { NewTarget, SubscriptionTarget } from "../../../store/digests/index.ts";

/** A send that did not go through: `hard` when trying again cannot help (counts against the subscription). */
export class ChannelError extends Error {
  constructor(
    message: string,
    readonly hard: boolean,
  ) {
    super(message);
    this.name = "ChannelError";
  }
}

/** One input of a channel's part of the digest settings form. */
export interface ChannelField {
  /** The input's name, unique across channels (`slackUrl`). */
  name: string;
  /** The key of the target's settings the input fills (`url`). */
  key: string;
  /** What the form shows above the input. */
  prompt: string;
  /** What messages call it ("Slack webhook is too long."). */
  label: string;
  type: "url" | "text";
  maxLength: number;
}

/** What checking a target may use: the operator's outbound policy, and (for tests) name resolution. */
export interface CheckContext {
  policy: OutboundPolicy;
  resolve?: OutboundOptions["resolve"];
}

/** A target ready to store, or a sentence per setting (by key) saying what is wrong with it. */
export type TargetCheck = { ok: true; target: NewTarget } | { ok: false; problems: Record<string, string> };

/** One digest, for a channel to shape as its receiver wants it. */
export interface DigestPayload {
  subscriptionId: string;
  periodKey: string;
  /** The digest's title (the mail's subject). */
  heading: string;
  content: DigestContent;
  papers: ReadonlyMap<string, Paper>;
  paperUrl: (id: string) => string;
  /** Signed thumbs-up and -down links of a recommended paper (a member's digest only). */
  thumbUrls?: (id: string) => { up: string; down: string };
}

export interface SendContext {
  /** Checked again at every send: a stored target may point somewhere Paperboy no longer calls. */
  policy: OutboundPolicy;
  now: Date;
}

export interface DeliveryChannel {
  /** Stored with each target and as the delivery ledger's channel: never rename one in use. */
  readonly kind: string;
  /** The channel's name in sentences ("Slack"). */
  readonly label: string;
  readonly fields: readonly ChannelField[];
  /**
   * Checks settings as a member typed them (by field key, trimmed, at least one not empty) and returns the
   * target to store, or the problems to show by the fields. Never sends anything to the target.
   */
  validateTarget(config: Readonly<Record<string, string>>, ctx: CheckContext): Promise<TargetCheck>;
  /** Delivers; throws ChannelError (hard or not) when the receiver did not take it. */
  send(target: SubscriptionTarget, payload: DigestPayload, ctx: SendContext): Promise<void>;
  /** One line naming the target for people (settings, the CLI), without its secret. */
  describe(target: SubscriptionTarget): string;
}
