/**
 * Rate limits on sign-in, sign-up and password reset: fixed windows counted in the database
 * (`store.accounts.hitRateLimit`), so every replica sees the same counts. Each action is limited per client
 * IP and, where the form names an account, per email; emails are hashed before they become keys.
 */
import { createHash } from "node:crypto";
import type { Context } from "hono";
import type { Store } from "../store/store.ts";
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
  signinPerIp: { name: "signin-ip", limit: 30, windowMs: 15 * MINUTE },
  signinPerEmail: { name: "signin-email", limit: 10, windowMs: 15 * MINUTE },
  signupPerIp: { name: "signup-ip", limit: 10, windowMs: 60 * MINUTE },
  /** Reset and verification mails. */
  mailPerIp: { name: "mail-ip", limit: 10, windowMs: 60 * MINUTE },
  mailPerEmail: { name: "mail-email", limit: 3, windowMs: 60 * MINUTE },
} as const satisfies Record<string, RateRule>;

/**
 * The client's address as the socket saw it. Behind a reverse proxy every request comes from the proxy; the
 * proxy should then do its own limiting (forwarded headers are not trusted, since anyone can send them).
 */
export function clientIp(c: Context<AppEnv>): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "unknown";
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
  checks: readonly { rule: RateRule; subject: string }[],
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
