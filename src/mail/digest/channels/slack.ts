/**
 * Slack: a message to an incoming webhook, one block per section, each paper a link with its reason. Only
 * Slack's incoming-webhook URLs (https) are targets, or a host in the operator's allow-list, over http or
 * https: a Slack-compatible receiver of their own (Mattermost, say), or a test's.
 */
import type { Paper } from "../../../core/index.ts";
import { isAllowListed, type OutboundPolicy } from "../../../net/guarded-fetch.ts";
import type { NewTarget } from "../../../store/digests/index.ts";
import { ChannelError, type DeliveryChannel, type DigestPayload } from "./channel.ts";
import { hostOf, postJson, unreachable } from "./outbound.ts";

/** Where Slack's incoming webhooks live. */
export const SLACK_WEBHOOK_PREFIX = "https://hooks.slack.com/services/";

/** Why `url` is not a Slack target, or null. */
function slackRuleProblem(url: string, policy: OutboundPolicy): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "That is not a URL.";
  }
  if (isAllowListed(parsed, policy)) return null;
  if (!parsed.href.startsWith(SLACK_WEBHOOK_PREFIX) || parsed.href.length === SLACK_WEBHOOK_PREFIX.length) {
    return `A Slack webhook URL starts with ${SLACK_WEBHOOK_PREFIX}`;
  }
  return null;
}

/** Slack's mrkdwn treats `&`, `<` and `>` as control characters; everything shown is escaped. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\s+/g, " ");
}

/** A Slack incoming-webhook message: one block per section, each paper a link with its reason. */
export function slackPayload(input: DigestPayload) {
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: input.heading.slice(0, 150) } },
  ];
  for (const s of input.content.sections) {
    const lines = s.items
      .filter((i) => input.papers.has(i.paperId))
      .map((i) => {
        const p = input.papers.get(i.paperId) as Paper;
        const why = i.reason ? ` · _${slackEscape(i.reason)}_` : "";
        const thumbs = s.kind === "recommended" ? input.thumbUrls?.(p.id) : undefined;
        const vote = thumbs ? ` · <${thumbs.up}|👍> <${thumbs.down}|👎>` : "";
        return `• <${input.paperUrl(p.id)}|${slackEscape(p.title)}>${why}${vote}`;
      });
    if (lines.length === 0 && s.since !== undefined) lines.push(`_Nothing new since ${s.since}._`);
    if (lines.length === 0) continue;
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: `*${slackEscape(s.title)}*\n${lines.join("\n")}`.slice(0, 3000) },
    });
  }
  return { text: input.heading, blocks };
}

/** The target that posts to `url`. */
export function slackTarget(url: string): NewTarget {
  return { kind: "slack", config: { url } };
}

export const slackChannel: DeliveryChannel = {
  kind: "slack",
  label: "Slack",
  fields: [
    {
      name: "slackUrl",
      key: "url",
      prompt: "Slack incoming webhook (optional; https://hooks.slack.com/services/…)",
      label: "Slack webhook",
      type: "url",
      maxLength: 2000,
    },
  ],
  async validateTarget(config, ctx) {
    const url = config.url ?? "";
    const problem = slackRuleProblem(url, ctx.policy) ?? (await unreachable(url, ctx));
    return problem ? { ok: false, problems: { url: problem } } : { ok: true, target: slackTarget(url) };
  },
  async send(target, payload, ctx) {
    const url = target.config.url ?? "";
    const problem = slackRuleProblem(url, ctx.policy);
    if (problem) throw new ChannelError(problem, true);
    await postJson(url, JSON.stringify(slackPayload(payload)), ctx);
  },
  describe: (target) => `Slack incoming webhook on ${hostOf(target.config.url)}`,
};
