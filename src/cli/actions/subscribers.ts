/** `paperboy subscribers`: who gets digests, in what state, when next. */
import type { Command } from "commander";
import { channelOf } from "../../mail/digest/channels/index.ts";
import {
  SUBSCRIPTION_STATES,
  type Subscription,
  type SubscriptionState,
  type SubscriptionTarget,
} from "../../store/digests/index.ts";
import type { SubscribersOptions } from "../commands/subscribers.ts";
import { contextFrom } from "../context.ts";

function channels(s: Subscription): string {
  return [...(s.emailEnabled ? ["email"] : []), ...s.targets.map((t) => t.kind)].join("+");
}

/** A target for the JSON listing: its channel's description, never its secret. */
function presentTarget(t: SubscriptionTarget) {
  return { kind: t.kind, description: channelOf(t.kind)?.describe(t) ?? t.kind, createdAt: t.createdAt };
}

function describe(s: Subscription): string {
  const when =
    s.schedule.frequency === "daily"
      ? `daily ${s.schedule.hour}:00`
      : `weekly day ${s.schedule.weekday} ${s.schedule.hour}:00`;
  return [s.email, s.state, `${when} ${s.schedule.timeZone}`, channels(s), s.nextDueAt ?? "-", s.id].join(
    "\t",
  );
}

export async function runSubscribers(opts: SubscribersOptions, command: Command): Promise<void> {
  const ctx = contextFrom(command);
  if (opts.state && !(SUBSCRIPTION_STATES as readonly string[]).includes(opts.state)) {
    throw new Error(`--state must be one of ${SUBSCRIPTION_STATES.join(", ")}`);
  }
  const limit = Number.parseInt(opts.limit, 10);
  if (!Number.isInteger(limit) || limit < 1) throw new Error("--limit must be a positive integer");
  const { list, counts, deliveries } = await ctx.withStore(async (store) => ({
    list: await store.digests.list({
      limit,
      ...(opts.state ? { state: opts.state as SubscriptionState } : {}),
    }),
    counts: await store.digests.counts(),
    deliveries: await store.digests.deliveryCounts(),
  }));
  if (opts.json) {
    const subscriptions = list.map((s) => ({ ...s, targets: s.targets.map(presentTarget) }));
    ctx.stdout.write(`${JSON.stringify({ counts, deliveries, subscriptions }, null, 2)}\n`);
    return;
  }
  if (list.length > 0) ctx.stdout.write(`${list.map(describe).join("\n")}\n`);
  const summary = Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  const sent = Object.entries(deliveries)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  ctx.stdout.write(`Subscriptions: ${summary}. Deliveries: ${sent}.\n`);
}
