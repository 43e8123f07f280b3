/**
 * Digest channels besides mail: a Slack incoming webhook and a generic JSON webhook. A webhook body is signed
 * with HMAC-SHA256 over `<timestamp>.<body>` under the subscription's own secret, sent as
 * `X-Paperboy-Signature: sha256=<hex>` with `X-Paperboy-Timestamp`, so a receiver can check who sent it and
 * refuse replays. Members type these URLs, so every request goes through the guarded client (`src/net`):
 * public addresses only unless the operator allow-listed the host, checked when the URL is saved and again
 * when a digest is sent. Delivery outcome is classified for the ledger: a refused URL, a redirect or a
 * refusal (4xx other than 408 and 429) is hard, anything else (5xx, timeouts, refused connections) is worth
 * a retry.
 */
import { createHmac } from "node:crypto";
import type { DigestContent } from "../../core/digest.ts";
import type { Paper } from "../../core/index.ts";
import {
  checkOutboundUrl,
  guardedPost,
  isAllowListed,
  OutboundError,
  type OutboundOptions,
  type OutboundPolicy,
} from "../../net/guarded-fetch.ts";

export const SIGNATURE_HEADER = "x-paperboy-signature";
export const TIMESTAMP_HEADER = "x-paperboy-timestamp";
/** Where Slack's incoming webhooks live. */
export const SLACK_WEBHOOK_PREFIX = "https://hooks.slack.com/services/";

export class ChannelError extends Error {
  constructor(
    message: string,
    readonly hard: boolean,
  ) {
    super(message);
    this.name = "ChannelError";
  }
}

export type UrlChannel = "slack" | "webhook";

/**
 * A Slack channel posts to Slack's incoming-webhook URLs only (https). A host in the operator's allow-list
 * passes too, over http or https: a Slack-compatible receiver of their own (Mattermost, say), or a test's.
 */
function checkSlackRule(url: string, policy: OutboundPolicy): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ChannelError("That is not a URL.", true);
  }
  if (isAllowListed(parsed, policy)) return;
  if (!parsed.href.startsWith(SLACK_WEBHOOK_PREFIX) || parsed.href.length === SLACK_WEBHOOK_PREFIX.length) {
    throw new ChannelError(`A Slack webhook URL starts with ${SLACK_WEBHOOK_PREFIX}`, true);
  }
}

function channelError(error: unknown): unknown {
  return error instanceof OutboundError ? new ChannelError(error.message, error.hard) : error;
}

/**
 * Checks a channel's URL as a member saves it: the channel's own rule, then where it points (see
 * `checkOutboundUrl`). Throws ChannelError with a sentence for the member.
 */
export async function checkChannelUrl(
  channel: UrlChannel,
  url: string,
  policy: OutboundPolicy,
  options: Pick<OutboundOptions, "resolve"> = {},
): Promise<void> {
  if (channel === "slack") checkSlackRule(url, policy);
  try {
    await checkOutboundUrl(url, policy, options);
  } catch (error) {
    throw channelError(error);
  }
}

export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export interface ChannelPayloadInput {
  subscriptionId: string;
  periodKey: string;
  content: DigestContent;
  papers: ReadonlyMap<string, Paper>;
  paperUrl: (id: string) => string;
}

/** The webhook's JSON: the digest's sections with each paper's id, title, link, reason and matched terms. */
export function webhookPayload(input: ChannelPayloadInput) {
  return {
    type: "paperboy.digest",
    subscription: input.subscriptionId,
    period: input.periodKey,
    sections: input.content.sections.map((s) => ({
      kind: s.kind,
      title: s.title,
      papers: s.items
        .filter((i) => input.papers.has(i.paperId))
        .map((i) => {
          const p = input.papers.get(i.paperId) as Paper;
          return {
            id: p.id,
            title: p.title,
            authors: p.authors,
            url: input.paperUrl(p.id),
            reason: i.reason,
            terms: i.terms,
          };
        }),
    })),
  };
}

/** Slack's mrkdwn treats `&`, `<` and `>` as control characters; everything shown is escaped. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\s+/g, " ");
}

/** A Slack incoming-webhook message: one block per section, each paper a link with its reason. */
export function slackPayload(input: ChannelPayloadInput, heading: string) {
  const blocks: unknown[] = [{ type: "header", text: { type: "plain_text", text: heading.slice(0, 150) } }];
  for (const s of input.content.sections) {
    const lines = s.items
      .filter((i) => input.papers.has(i.paperId))
      .map((i) => {
        const p = input.papers.get(i.paperId) as Paper;
        const why = i.reason ? ` · _${slackEscape(i.reason)}_` : "";
        return `• <${input.paperUrl(p.id)}|${slackEscape(p.title)}>${why}`;
      });
    if (lines.length === 0) continue;
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: `*${slackEscape(s.title)}*\n${lines.join("\n")}`.slice(0, 3000) },
    });
  }
  return { text: heading, blocks };
}

/** POSTs JSON through the guarded client; resolves on 2xx, throws ChannelError (hard or soft) otherwise. */
async function postJson(
  url: string,
  body: string,
  policy: OutboundPolicy,
  headers: Record<string, string> = {},
): Promise<void> {
  let status: number;
  try {
    const response = await guardedPost(
      url,
      { body, headers: { "content-type": "application/json", "user-agent": "Paperboy digest", ...headers } },
      policy,
    );
    status = response.status;
  } catch (error) {
    throw channelError(error);
  }
  if (status >= 200 && status < 300) return;
  const hard = status >= 400 && status < 500 && status !== 408 && status !== 429;
  throw new ChannelError(`the webhook answered ${status}`, hard);
}

export async function sendWebhook(
  url: string,
  secret: string,
  payload: unknown,
  now: Date,
  policy: OutboundPolicy,
): Promise<void> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  await postJson(url, body, policy, {
    [SIGNATURE_HEADER]: signBody(secret, timestamp, body),
    [TIMESTAMP_HEADER]: timestamp,
  });
}

export async function sendSlack(url: string, payload: unknown, policy: OutboundPolicy): Promise<void> {
  checkSlackRule(url, policy);
  await postJson(url, JSON.stringify(payload), policy);
}
