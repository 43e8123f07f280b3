/**
 * Whether a member may send digests to the Slack and webhook URLs they typed: only a verified member may,
 * and each URL must pass its channel's check (Slack's host; an address Paperboy calls). The answer is a
 * sentence per field, shown next to it.
 */
import { ChannelError, checkChannelUrl, type UrlChannel } from "../../mail/digest/channels.ts";
import type { OutboundPolicy } from "../../net/guarded-fetch.ts";
import type { SessionUser } from "../env.ts";

export type ChannelField = "slackUrl" | "webhookUrl";
export type ChannelFieldErrors = Partial<Record<ChannelField, string>>;

const FIELDS: [ChannelField, UrlChannel][] = [
  ["slackUrl", "slack"],
  ["webhookUrl", "webhook"],
];

export const UNVERIFIED_CHANNELS =
  "Confirm your email address first (follow the link we mailed you): Slack and webhook digests are for verified members.";

export async function channelProblems(
  targets: Record<ChannelField, string | null>,
  user: Pick<SessionUser, "verified">,
  policy: OutboundPolicy,
): Promise<ChannelFieldErrors> {
  const problems: ChannelFieldErrors = {};
  for (const [field, channel] of FIELDS) {
    const url = targets[field];
    if (!url) continue;
    if (!user.verified) {
      problems[field] = UNVERIFIED_CHANNELS;
      continue;
    }
    try {
      await checkChannelUrl(channel, url, policy);
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error;
      problems[field] = error.message;
    }
  }
  return problems;
}
