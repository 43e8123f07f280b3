/** `paperboy subscribers`: who gets digests, in what state, when next. */
import type { Command } from "commander";
import { SUBSCRIPTION_STATES } from "../../store/digests/types.ts";

export interface SubscribersOptions {
  state?: string;
  limit: string;
  json?: boolean;
}

export function registerSubscribers(program: Command): void {
  program
    .command("subscribers")
    .summary("list digest subscriptions (email, state, schedule, channels, next due, id) and counts")
    .option("--state <state>", `only this state (${SUBSCRIPTION_STATES.join(", ")})`)
    .option("--limit <n>", "at most this many", "100")
    .option("--json", "print as JSON")
    .action(async (opts: SubscribersOptions, command: Command) =>
      (await import("../actions/subscribers.ts")).runSubscribers(opts, command),
    );
}
