/**
 * Sending digests, exactly once per (subscription, period, channel).
 *
 * A run plans the periods that have come due (one `pending` row per subscription, period and channel; the
 * primary key makes planning idempotent), then claims rows in batches. A claimed row is `sending` under this
 * worker's lease. Its content is fixed on the first attempt and stored with the row, so every attempt sends
 * the same digest with the same deterministic Message-ID. The row becomes `sent` in the transaction right
 * after the SMTP server answers 250 to DATA (or the webhook answers 2xx); a refusal fails it (a hard failure
 * counts against the address), anything else puts it back to `pending` with exponential back-off. A Slack or
 * webhook URL that now points somewhere Paperboy does not call is a hard failure, before any connection.
 *
 * The one remaining window: the process dies after the server's 250 and before the `sent` commit. The row
 * stays `sending`; once its lease expires a later run sends it again, with the same Message-ID (mail
 * systems and clients that deduplicate by Message-ID show it once). Choosing to resend rather than give up
 * means a crash can never silently skip a digest; the duplicate risk is bounded to that sub-millisecond
 * window, while a crash at any other point (planning, composing, mid-DATA before the 250) neither loses nor
 * doubles a digest.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { type DigestContent, type DigestSection, digestPaperIds } from "../core/digest.ts";
import { describeError, type Paper } from "../core/index.ts";
import type { Logger } from "../log.ts";
import { ChannelError, channelOf } from "../mail/digest/channels/index.ts";
import { composeDigest } from "../mail/digest/compose.ts";
import { digestLinks } from "../mail/digest/links.ts";
import { type RenderedDigest, renderDigest } from "../mail/digest/render.ts";
import { thumbLinks } from "../mail/digest/thumb-links.ts";
import type { Mailer } from "../mail/mailer.ts";
import type { OutboundPolicy } from "../net/guarded-fetch.ts";
import { buildCorpus, type RecommendationCorpus } from "../search/recommend/index.ts";
import type { ClaimedDelivery, Subscription } from "../store/digests/index.ts";
import type { Store } from "../store/store.ts";

export const SEND_DIGESTS = "send-digests";
/** Attempts before a delivery that keeps failing softly is given up. */
export const MAX_DELIVERY_ATTEMPTS = 6;
const DEFAULT_LEASE_MS = 10 * 60_000;

export interface DigestDeps {
  store: Store;
  mailer: Mailer;
  /** Signs unsubscribe links (the web app's secret). */
  secret: string;
  baseUrl: string;
  /** Where Slack and webhook deliveries may go (`PAPERBOY_OUTBOUND_ALLOW_HOSTS`); checked again at each send. */
  outbound: OutboundPolicy;
  logger: Logger;
  now?: () => Date;
}

export interface DigestRunOptions {
  workerId?: string;
  /** How long a claim holds before another run may take the row over (its sender presumed dead). */
  leaseMs?: number;
  /** Rows claimed per round trip. */
  batch?: number;
  /** Digests in flight at once (SMTP connections are pooled by the mailer). */
  concurrency?: number;
  signal?: AbortSignal;
  /**
   * The moment whose due periods are planned (default the clock): lets an operator send what was due at a
   * past time. Leases and back-off always follow the real clock.
   */
  at?: Date;
  /** Called after each delivery's outcome is recorded (progress bars, benchmarks). */
  onDelivered?: (outcome: DeliveryOutcome) => void;
}

export type DeliveryOutcome = "sent" | "retry" | "failed" | "skipped";

export interface DigestRunResult {
  planned: number;
  superseded: number;
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
}

/** Back-off of a soft failure: 1 min · 4^(attempt−1), capped at 6 hours. */
export function deliveryRetryDelayMs(attempt: number): number {
  return Math.min(6 * 3_600_000, 60_000 * 4 ** Math.max(0, attempt - 1));
}

/** SMTP replies in the 5xx range refuse the message for good; the rest (4xx, network) may pass later. */
export function isHardMailFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

function siteHost(baseUrl: string): string {
  try {
    return new URL(baseUrl).hostname || "paperboy.local";
  } catch {
    return "paperboy.local";
  }
}

/** Plans due periods, then sends every claimable delivery. Returns when none is left (or `signal` aborts). */
export async function runDigests(deps: DigestDeps, options: DigestRunOptions = {}): Promise<DigestRunResult> {
  const now = deps.now ?? (() => new Date());
  const result: DigestRunResult = { planned: 0, superseded: 0, sent: 0, retried: 0, failed: 0, skipped: 0 };
  for (;;) {
    const round = await deps.store.digests.plan(options.at ?? now(), 1_000, now());
    result.planned += round.planned;
    result.superseded += round.skipped;
    if (round.subscriptions < 1_000) break;
  }
  const sender = new DigestSender(deps, options);
  const counts = await sender.drain();
  return { ...result, ...counts };
}

/** Claims and delivers rows until none is claimable. One per run: it holds the run's recommendation corpus. */
export class DigestSender {
  readonly workerId: string;
  private readonly now: () => Date;
  private corpus: Promise<RecommendationCorpus> | null = null;
  private readonly shared = new Map<string, Promise<DigestSection>>();

  constructor(
    private readonly deps: DigestDeps,
    private readonly options: DigestRunOptions = {},
  ) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.now = deps.now ?? (() => new Date());
  }

  private recommendations(): Promise<RecommendationCorpus> {
    this.corpus ??= buildCorpus(this.deps.store, this.options.at ?? this.now());
    return this.corpus;
  }

  async drain(): Promise<Omit<DigestRunResult, "planned" | "superseded">> {
    const counts = { sent: 0, retried: 0, failed: 0, skipped: 0 };
    const batch = this.options.batch ?? 50;
    const concurrency = Math.max(1, this.options.concurrency ?? 4);
    while (!this.options.signal?.aborted) {
      const claimed = await this.deps.store.digests.claim(this.workerId, {
        limit: batch,
        leaseMs: this.options.leaseMs ?? DEFAULT_LEASE_MS,
        now: this.now(),
      });
      if (claimed.length === 0) break;
      const claimedAt = this.now().getTime();
      let next = 0;
      const lane = async () => {
        while (next < claimed.length && !this.options.signal?.aborted) {
          const delivery = claimed[next++] as ClaimedDelivery;
          const outcome = await this.deliver(delivery, claimedAt);
          if (outcome === "sent") counts.sent++;
          else if (outcome === "retry") counts.retried++;
          else if (outcome === "failed") counts.failed++;
          else counts.skipped++;
          this.options.onDelivered?.(outcome);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, lane));
    }
    return counts;
  }

  /** The content of a (subscription, period): the one fixed earlier, else composed now and fixed. */
  async contentFor(delivery: ClaimedDelivery): Promise<DigestContent> {
    const { store } = this.deps;
    const sub = delivery.subscription;
    const channels = Number(sub.emailEnabled) + sub.targets.length;
    // A first attempt of a one-channel digest cannot have content yet; fixContent still checks in its write.
    if (delivery.attempts > 1 || channels > 1) {
      const fixed = await store.digests.fixedContent(delivery.subscriptionId, delivery.periodKey);
      if (fixed) return fixed;
    }
    const until = new Date(delivery.dueAt);
    const days = sub.schedule.frequency === "daily" ? 1 : 7;
    const wantsRecs = sub.userId !== null && sub.contents.recommendations;
    const content = await composeDigest(store, {
      contents: sub.contents,
      userId: sub.userId,
      since: new Date(until.getTime() - days * 86_400_000),
      until,
      corpus: wantsRecs ? await this.recommendations() : null,
      shared: this.shared,
    });
    return store.digests.fixContent(
      delivery.subscriptionId,
      delivery.periodKey,
      content,
      sub.userId,
      this.now(),
    );
  }

  private async deliver(delivery: ClaimedDelivery, claimedAt: number): Promise<DeliveryOutcome> {
    const { store } = this.deps;
    const key = {
      subscriptionId: delivery.subscriptionId,
      periodKey: delivery.periodKey,
      channel: delivery.channel,
    };
    // A slow batch could outlive its lease, and another run would then take the row: past half the lease,
    // renew before sending, and leave the row alone if it is no longer ours.
    const leaseMs = this.options.leaseMs ?? DEFAULT_LEASE_MS;
    if (this.now().getTime() - claimedAt > leaseMs / 2) {
      const held = await store.digests.renew(key, this.workerId, new Date(this.now().getTime() + leaseMs));
      if (!held) return "skipped";
    }
    try {
      const content = await this.contentFor(delivery);
      const ids = digestPaperIds(content);
      if (ids.length === 0) {
        await store.digests.markSkipped(key, this.workerId, "nothing new in this period", this.now());
        return "skipped";
      }
      const papers = new Map((await store.getPapers(ids as Paper["id"][])).map((p) => [p.id as string, p]));
      await this.send(delivery, content, papers);
    } catch (error) {
      return this.recordFailure(delivery, error);
    }
    // Recorded right after the receiver accepted; see the header comment for the window this leaves.
    await store.digests.markSent(key, this.workerId, this.now(), delivery.subscription.hardFailures > 0);
    return "sent";
  }

  private async send(
    delivery: ClaimedDelivery,
    content: DigestContent,
    papers: ReadonlyMap<string, Paper>,
  ): Promise<void> {
    const sub = delivery.subscription;
    const rendered = renderFor(this.deps, sub, delivery.periodKey, content, papers);
    if (delivery.channel === "email") {
      await this.deps.mailer.send({
        to: sub.email,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        headers: {
          ...rendered.headers,
          "Message-ID": `<${delivery.messageId}@${siteHost(this.deps.baseUrl)}>`,
        },
      });
      return;
    }
    const target = sub.targets.find((t) => t.kind === delivery.channel);
    const channel = channelOf(delivery.channel);
    if (!target || !channel) {
      throw new ChannelError(`the subscription no longer has a ${delivery.channel} channel`, true);
    }
    const links = digestLinks(this.deps.baseUrl, this.deps.secret, sub.id);
    await channel.send(
      target,
      {
        subscriptionId: sub.id,
        periodKey: delivery.periodKey,
        heading: rendered.subject,
        content,
        papers,
        paperUrl: links.paper,
        ...(sub.userId ? { thumbUrls: thumbLinks(this.deps.baseUrl, this.deps.secret, sub.userId) } : {}),
      },
      { policy: this.deps.outbound, now: this.now() },
    );
  }

  private async recordFailure(delivery: ClaimedDelivery, error: unknown): Promise<DeliveryOutcome> {
    const { store, logger } = this.deps;
    const key = {
      subscriptionId: delivery.subscriptionId,
      periodKey: delivery.periodKey,
      channel: delivery.channel,
    };
    const reason = describeError(error);
    const hard = error instanceof ChannelError ? error.hard : isHardMailFailure(error);
    if (hard || delivery.attempts >= MAX_DELIVERY_ATTEMPTS) {
      await store.digests.markFailed(key, this.workerId, reason, hard, this.now());
      logger.warn("digest delivery failed", {
        subscription: delivery.subscriptionId,
        channel: delivery.channel,
        hard,
        error: reason,
      });
      return "failed";
    }
    const retryAt = new Date(this.now().getTime() + deliveryRetryDelayMs(delivery.attempts));
    await store.digests.markRetry(key, this.workerId, reason, retryAt, this.now());
    logger.info("digest delivery will retry", {
      subscription: delivery.subscriptionId,
      channel: delivery.channel,
      retryAt: retryAt.toISOString(),
      error: reason,
    });
    return "retry";
  }
}

/** The mail of one digest (also the preview in settings and the CLI). */
export function renderFor(
  deps: Pick<DigestDeps, "baseUrl" | "secret">,
  sub: Subscription,
  periodKey: string,
  content: DigestContent,
  papers: ReadonlyMap<string, Paper>,
): RenderedDigest {
  const links = digestLinks(deps.baseUrl, deps.secret, sub.id);
  const thumbs = sub.userId ? thumbLinks(deps.baseUrl, deps.secret, sub.userId) : undefined;
  return renderDigest({
    frequency: sub.schedule.frequency,
    periodKey,
    content,
    papers,
    links: thumbs ? { ...links, thumbs } : links,
    siteUrl: deps.baseUrl,
  });
}

/** How often the worker looks for due digests (cron, UTC): every 10 minutes, so a digest is at most 10 late. */
export const DIGEST_CRON = "*/10 * * * *";

/** The worker's `send-digests` handler: one run, stopped early when the job's lease is lost. */
export function digestHandler(deps: Omit<DigestDeps, "logger">) {
  return async (_job: unknown, ctx: { signal: AbortSignal; logger: Logger }): Promise<void> => {
    const result = await runDigests({ ...deps, logger: ctx.logger }, { signal: ctx.signal });
    ctx.logger.info("digests run", { ...result });
  };
}

/** The digest schedule for the worker, beside the syncs'. */
export function digestSchedules(cron: string = DIGEST_CRON) {
  return [{ name: "digests", cron, jobs: () => [{ kind: SEND_DIGESTS, payload: {}, maxAttempts: 3 }] }];
}
