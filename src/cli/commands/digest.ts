/**
 * `paperboy digest preview|send`: see what a subscriber would get, and send the digests that are due (what the
 * worker's `send-digests` job does, run once from the shell).
 */
import type { Command } from "commander";

export interface DigestPreviewOptions {
  user: string;
  html?: boolean;
  period?: string;
}

export interface DigestSendOptions {
  period?: string;
  dryRun?: boolean;
  leaseMs: string;
  concurrency: string;
  json?: boolean;
}

export function registerDigest(program: Command): void {
  const digest = program.command("digest").summary("preview and send email digests");
  const actions = () => import("../actions/digest.ts");

  digest
    .command("preview")
    .summary("print the digest a subscriber would get now (nothing is sent or recorded)")
    .requiredOption("--user <email>", "the subscriber's (or member's) email address")
    .option("--html", "print the HTML part instead of the text part")
    .option("--period <time>", "render as of this moment (ISO 8601; default now)")
    .action(async (opts: DigestPreviewOptions, command: Command) =>
      (await actions()).runDigestPreview(opts, command),
    );

  digest
    .command("send")
    .summary("send every digest due now, exactly once each (what the worker's digest job does)")
    .option("--period <time>", "send the periods due at or before this moment (ISO 8601; default now)")
    .option("--dry-run", "list the subscriptions due and their digests' subjects; send and record nothing")
    .option("--lease-ms <ms>", "how long a claimed digest is held before another run may resend it", "600000")
    .option("--concurrency <n>", "digests in flight at once", "4")
    .option("--json", "print the outcome as JSON")
    .action(async (opts: DigestSendOptions, command: Command) =>
      (await actions()).runDigestSend(opts, command),
    );
}
