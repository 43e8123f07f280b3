/** Digest channels besides mail: the interface, the registry, and the targets the built-in ones make. */
export * from "./channel.ts";
export { channelOf, DELIVERY_CHANNELS } from "./registry.ts";
export { SLACK_WEBHOOK_PREFIX, slackTarget } from "./slack.ts";
export { webhookTarget } from "./webhook.ts";
