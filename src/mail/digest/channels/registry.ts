/**
 * The digest channels besides mail (mail is the subscription's own address, sent by the mailer).
 *
 * Adding a channel takes one file beside these and one line in the list below. The file exports a
 * `DeliveryChannel` (channel.ts):
 * - `kind`: a new name, stored with each target and in the delivery ledger (never renamed once in use);
 * - `label`: its name in sentences;
 * - `fields`: its inputs on the settings form (input names unique across channels); the form parses, shows
 *   and marks them from this list;
 * - `validateTarget`: the check of what a member typed, returning the target to store (its settings as
 *   strings, and `withSecret` if it signs) or a sentence per field; anything reached over HTTP is checked
 *   with `unreachable` and sent with `postJson` (outbound.ts, the guarded client);
 * - `send`: delivers a `DigestPayload`, throwing ChannelError (hard when retrying cannot help);
 * - `describe`: one line naming a target, for settings and the CLI.
 * No migration, store, job or CLI change is needed: targets are rows of kind + JSON, the planner makes one
 * delivery per target, and the sender finds the channel here by kind.
 */
import type { DeliveryChannel } from "./channel.ts";
import { slackChannel } from "./slack.ts";
import { webhookChannel } from "./webhook.ts";

/** In the order the settings form shows them. */
export const DELIVERY_CHANNELS: readonly DeliveryChannel[] = [slackChannel, webhookChannel];

export function channelOf(kind: string): DeliveryChannel | undefined {
  return DELIVERY_CHANNELS.find((c) => c.kind === kind);
}
