/**
 * Rate limits on sign-in, sign-up, password reset and the mail members' actions send: fixed windows counted
 * in the database (`store.accounts.hitRateLimit`), so every replica sees the same counts. Actions are limited
 * per client address (read through trusted proxies) and, where the form names an account, per email; emails
 * are hashed before they become keys. Sign-in counts wrong passwords only (signin-throttle.ts).
 */
import { createHash } from "node:crypto";
import type { Context } from "hono";
import type { Store } from "../store/store.ts";
import { rateLimitBucket } from "./client-address.ts";
import type { AppEnv } from "./env.ts";

export interface RateRule {
  /** Part of the counter's key. */
  name: string;
  /** Hits allowed per window; the next one is refused. */
  limit: number;
  windowMs: number;
}

const MINUTE = 60_000;

/** The limits, per window. Generous for people, tight for scripts guessing passwords or sending mail. */
export const RATE_RULES = {
  /** Wrong passwords for one account from one address, or from one browser that signed in to it before. */
  signinFailPair: { name: "signin-fail-pair", limit: 10, windowMs: 15 * MINUTE },
  /** Wrong passwords from one address, whatever the account. */
  signinFailIp: { name: "signin-fail-ip", limit: 50, windowMs: 15 * MINUTE },
  /** Wrong passwords for one account from addresses it was never signed in from (a distributed guess). */
  signinFailEmail: { name: "signin-fail-email", limit: 100, windowMs: 60 * MINUTE },
  /** Current-password checks in settings, per account. */
  passwordCheck: { name: "password-check", limit: 10, windowMs: 15 * MINUTE },
  signupPerIp: { name: "signup-ip", limit: 10, windowMs: 60 * MINUTE },
  /** Reset and verification mails. */
  mailPerIp: { name: "mail-ip", limit: 10, windowMs: 60 * MINUTE },
  mailPerEmail: { name: "mail-email", limit: 3, windowMs: 60 * MINUTE },
  /** Mail a signed-in member's actions send (digest confirmations and the like), per member. */
  memberMail: { name: "member-mail", limit: 5, windowMs: 60 * MINUTE },
  /** Mail to one address from members' actions, whoever asked: no address is a target for a mail cannon. */
  mailPerRecipient: { name: "mail-recipient", limit: 5, windowMs: 24 * 60 * MINUTE },
} as const satisfies Record<string, RateRule>;

export interface RateCheck {
  rule: RateRule;
  subject: string;
}

/**
 * The client as rate limits count it: the socket's address, or behind a trusted reverse proxy the one it
 * forwarded (client-address.ts, mounted first on the app); IPv6 by its /64.
 */
export function clientIp(c: Context<AppEnv>): string {
  return rateLimitBucket(c.get("clientIp") ?? "unknown");
}

export function emailSubject(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 32);
}

/**
 * Counts a hit of `subject` against each rule; the seconds to wait when any limit is exceeded, else null.
 * Every rule is counted even after one fails, so a client cannot dodge a per-IP count by varying emails.
 */
export async function overLimit(
  store: Store,
  checks: readonly RateCheck[],
  now: Date,
): Promise<number | null> {
  let retryAfter: number | null = null;
  for (const { rule, subject } of checks) {
    const { count, resetAt } = await store.accounts.hitRateLimit(
      `${rule.name}|${subject}`,
      rule.windowMs,
      now,
    );
    if (count > rule.limit) {
      const wait = Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));
      retryAfter = Math.max(retryAfter ?? 0, wait);
    }
  }
  return retryAfter;
}

/** Takes back the hit `overLimit` counted for each check (the attempt turned out to be legitimate). */
export async function releaseHits(store: Store, checks: readonly RateCheck[], now: Date): Promise<void> {
  for (const { rule, subject } of checks) {
    await store.accounts.releaseRateLimit(`${rule.name}|${subject}`, rule.windowMs, now);
  }
}
