import type { Command } from "commander";
import { DEFAULT_CONTENTS } from "../../core/digest.ts";
import { loadSecret } from "../../http/secret.ts";
import { runDigests } from "../../jobs/digests.ts";
import { previewDigest } from "../../mail/digest/preview.ts";
import { createMailer } from "../../mail/index.ts";
import type { Subscription } from "../../store/digests/index.ts";
import type { DigestPreviewOptions, DigestSendOptions } from "../commands/digest.ts";
import { contextFrom } from "../context.ts";

function parseMoment(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`--period must be an ISO 8601 date-time, e.g. 2026-11-26T08:00:00Z`);
  return new Date(ms);
}

function positive(value: string, name: string): number {
  const n = Number.parseInt(value, 10);
  if (!Number.isInteger(n) || n < 1 || String(n) !== value.trim())
    throw new Error(`${name} must be a positive integer`);
  return n;
}

export async function runDigestPreview(opts: DigestPreviewOptions, command: Command): Promise<void> {
  const ctx = contextFrom(command);
  const now = parseMoment(opts.period);
  const secret = loadSecret(ctx.config);
  const out = await ctx.withStore(async (store) => {
    const [sub] = await store.digests.list({ email: opts.user, limit: 1 });
    let subscription: Subscription | undefined = sub;
    if (!subscription) {
      const user = await store.accounts.getUserByEmail(opts.user);
      if (!user) throw new Error(`no subscriber or member "${opts.user.slice(0, 254)}"`);
      // A member without a subscription: show what the default digest would hold for them.
      subscription = {
        id: "preview",
        email: user.email,
        userId: user.id,
        state: "active",
        schedule: { frequency: "daily", hour: 8, weekday: 1, timeZone: "UTC" },
        contents: { ...DEFAULT_CONTENTS },
        emailEnabled: true,
        targets: [],
        hardFailures: 0,
        lastFailure: null,
        nextDueAt: null,
        createdAt: now.toISOString(),
        confirmedAt: null,
        unsubscribedAt: null,
      };
    }
    return previewDigest(store, subscription, { baseUrl: ctx.config.web.baseUrl, secret, now });
  });
  const { rendered } = out;
  ctx.stdout.write(`Subject: ${rendered.subject}\n\n${opts.html ? rendered.html : rendered.text}\n`);
}

export async function runDigestSend(opts: DigestSendOptions, command: Command): Promise<void> {
  const ctx = contextFrom(command);
  const at = parseMoment(opts.period);
  const leaseMs = positive(opts.leaseMs, "--lease-ms");
  const concurrency = positive(opts.concurrency, "--concurrency");
  const secret = loadSecret(ctx.config);
  await ctx.withStore(async (store) => {
    if (opts.dryRun) {
      const active = await store.digests.list({ state: "active", limit: 10_000 });
      const due = active.filter((s) => s.nextDueAt !== null && s.nextDueAt <= at.toISOString());
      for (const sub of due) {
        const { periodKey, rendered } = await previewDigest(store, sub, {
          baseUrl: ctx.config.web.baseUrl,
          secret,
          now: at,
        });
        ctx.stdout.write(`${sub.email}\t${periodKey}\t${rendered.subject}\n`);
      }
      ctx.stdout.write(`${due.length} digest(s) due; nothing sent (dry run).\n`);
      return;
    }
    const mailer = createMailer(ctx.config, ctx.logger);
    try {
      const result = await runDigests(
        {
          store,
          mailer,
          secret,
          baseUrl: ctx.config.web.baseUrl,
          outbound: { allowHosts: ctx.config.security.outboundAllowHosts },
          logger: ctx.logger,
        },
        { leaseMs, concurrency, at },
      );
      ctx.stdout.write(
        opts.json
          ? `${JSON.stringify(result)}\n`
          : `planned ${result.planned}, sent ${result.sent}, retrying ${result.retried}, failed ${result.failed}, skipped ${result.skipped + result.superseded}\n`,
      );
    } finally {
      await mailer.close();
    }
  });
}
