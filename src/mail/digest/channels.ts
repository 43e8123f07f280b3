/**
 * Digest channels besides mail: a Slack incoming webhook and a generic JSON webhook. A webhook body is signed
 * with HMAC-SHA256 over `<timestamp>.<body>` under the subscription's own secret, sent as
 * `X-Paperboy-Signature: sha256=<hex>` with `X-Paperboy-Timestamp`, so a receiver can check who sent it and
 * refuse replays. Delivery outcome is classified for the ledger: a refusal (4xx other than 408 and 429) is
 * hard, anything else (5xx, timeouts, refused connections) is worth a retry.
 */
import { createHmac } from "node:crypto";
import type { DigestContent } from "../../core/digest.ts";
import type { Paper } from "../../core/index.ts";

export const SIGNATURE_HEADER = "x-paperboy-signature";
export const TIMESTAMP_HEADER = "x-paperboy-timestamp";
const TIMEOUT_MS = 15_000;

export class ChannelError extends Error {
  constructor(
    message: string,
    readonly hard: boolean,
  ) {
    super(message);
    this.name = "ChannelError";
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

/** POSTs JSON; resolves on 2xx, throws ChannelError (hard or soft) otherwise. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Paperboy digest", ...headers },
      body,
      redirect: "error",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new ChannelError(`could not reach the webhook: ${(error as Error).message}`, false);
  }
  await response.body?.cancel();
  if (response.ok) return;
  const hard =
    response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
  throw new ChannelError(`the webhook answered ${response.status}`, hard);
}

export async function sendWebhook(url: string, secret: string, payload: unknown, now: Date): Promise<void> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  await postJson(url, body, {
    [SIGNATURE_HEADER]: signBody(secret, timestamp, body),
    [TIMESTAMP_HEADER]: timestamp,
  });
}

export async function sendSlack(url: string, payload: unknown): Promise<void> {
  await postJson(url, JSON.stringify(payload));
}
