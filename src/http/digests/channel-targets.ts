/**
 * Whether a member may send digests where the channel inputs of their form say: only a verified member may,
 * and each channel checks what was typed for it (Slack's host; an address Paperboy calls). The answer is the
 * targets to store, or a sentence per input, shown next to it.
 */
import { DELIVERY_CHANNELS, type DeliveryChannel } from "../../mail/digest/channels/index.ts";
import type { OutboundPolicy } from "../../net/guarded-fetch.ts";
import type { NewTarget } from "../../store/digests/index.ts";
import type { SessionUser } from "../env.ts";

/** Problems by input name. */
export type ChannelFieldErrors = Partial<Record<string, string>>;

function inWords(labels: readonly string[]): string {
  return labels.length > 1 ? `${labels.slice(0, -1).join(", ")} and ${labels.at(-1)}` : (labels[0] ?? "");
}

export const UNVERIFIED_CHANNELS = `Confirm your email address first (follow the link we mailed you): ${inWords(
  DELIVERY_CHANNELS.map((c) => c.label),
)} digests are for verified members.`;

/** What was typed for `channel`, by setting key; empty when nothing was. */
export function typedConfig(
  channel: DeliveryChannel,
  inputs: Readonly<Record<string, string | null>>,
): Record<string, string> {
  const config: Record<string, string> = {};
  for (const field of channel.fields) {
    const value = inputs[field.name];
    if (value) config[field.key] = value;
  }
  return config;
}

export async function checkTargets(
  inputs: Readonly<Record<string, string | null>>,
  user: Pick<SessionUser, "verified">,
  policy: OutboundPolicy,
): Promise<{ targets: NewTarget[]; errors: ChannelFieldErrors }> {
  const targets: NewTarget[] = [];
  const errors: ChannelFieldErrors = {};
  for (const channel of DELIVERY_CHANNELS) {
    const config = typedConfig(channel, inputs);
    if (Object.keys(config).length === 0) continue;
    if (!user.verified) {
      for (const field of channel.fields) if (config[field.key]) errors[field.name] = UNVERIFIED_CHANNELS;
      continue;
    }
    const check = await channel.validateTarget(config, { policy });
    if (check.ok) {
      targets.push(check.target);
      continue;
    }
    for (const [key, problem] of Object.entries(check.problems)) {
      const field = channel.fields.find((f) => f.key === key) ?? channel.fields[0];
      if (field) errors[field.name] = problem;
    }
  }
  return { targets, errors };
}
