/**
 * A JSON webhook: the digest's sections with each paper's id, title, link, reason and matched terms (and, for
 * recommended papers, signed thumbs-up and -down links). The body
 * is signed with HMAC-SHA256 over `<timestamp>.<body>` under the target's own secret, sent as
 * `X-Paperboy-Signature: sha256=<hex>` with `X-Paperboy-Timestamp`, so a receiver can check who sent it and
 * refuse replays. Any URL Paperboy calls is a target (see outbound.ts).
 */
import { createHmac } from "node:crypto";
import type { Paper } from "../../../core/index.ts";
import type { NewTarget } from "../../../store/digests/index.ts";
import { ChannelError, type DeliveryChannel, type DigestPayload } from "./channel.ts";
import { hostOf, postJson, unreachable } from "./outbound.ts";

export const SIGNATURE_HEADER = "x-paperboy-signature";
export const TIMESTAMP_HEADER = "x-paperboy-timestamp";

export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** The webhook's JSON: the digest's sections with each paper's id, title, link, reason and matched terms. */
export function webhookPayload(input: DigestPayload) {
  return {
    type: "paperboy.digest",
    subscription: input.subscriptionId,
    period: input.periodKey,
    sections: input.content.sections.map((s) => ({
      kind: s.kind,
      title: s.title,
      // A followed author, category or search: the day it was looked at from (its papers may be none).
      ...(s.since !== undefined ? { since: s.since } : {}),
      papers: s.items
        .filter((i) => input.papers.has(i.paperId))
        .map((i) => {
          const p = input.papers.get(i.paperId) as Paper;
          const thumbs = s.kind === "recommended" ? input.thumbUrls?.(p.id) : undefined;
          return {
            id: p.id,
            title: p.title,
            authors: p.authors,
            url: input.paperUrl(p.id),
            reason: i.reason,
            terms: i.terms,
            // Signed links that record the member's thumb (recommended papers only).
            ...(thumbs ? { thumbs } : {}),
          };
        }),
    })),
  };
}

/** The target that posts to `url`, signed with a secret the store makes. */
export function webhookTarget(url: string): NewTarget {
  return { kind: "webhook", config: { url }, withSecret: true };
}

export const webhookChannel: DeliveryChannel = {
  kind: "webhook",
  label: "webhook",
  fields: [
    {
      name: "webhookUrl",
      key: "url",
      prompt: "JSON webhook (optional; signed with X-Paperboy-Signature)",
      label: "Webhook URL",
      type: "url",
      maxLength: 2000,
    },
  ],
  async validateTarget(config, ctx) {
    const url = config.url ?? "";
    const problem = await unreachable(url, ctx);
    return problem ? { ok: false, problems: { url: problem } } : { ok: true, target: webhookTarget(url) };
  },
  async send(target, payload, ctx) {
    const url = target.config.url ?? "";
    if (!target.secret) throw new ChannelError("the webhook target has no signing secret", true);
    const body = JSON.stringify(webhookPayload(payload));
    const timestamp = String(Math.floor(ctx.now.getTime() / 1000));
    await postJson(url, body, ctx, {
      [SIGNATURE_HEADER]: signBody(target.secret, timestamp, body),
      [TIMESTAMP_HEADER]: timestamp,
    });
  },
  describe: (target) => `signed JSON webhook to ${hostOf(target.config.url)}`,
};
