/**
 * Sign-in throttling that stops guessing without locking the owner out. Only wrong passwords are counted:
 * per (account, address) pair, per address, and per account from addresses it was never signed in from.
 * A browser that signed in to an account before carries a signed device cookie for it; its wrong passwords
 * are counted per (account, browser) instead, so guessing from elsewhere never throttles the owner's own
 * browser. When a limit is reached the answer is the same 429 whether the password was right or not (so the
 * throttled guesser learns nothing); if it was right, the owner is mailed a one-time sign-in link instead:
 * the right password is never simply refused.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { User } from "../../core/accounts.ts";
import { tokensMatch } from "../csrf.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import { clientIp, emailSubject, RATE_RULES, type RateCheck } from "../rate-limit.ts";

export const DEVICE_COOKIE = "pb_device";
const DEVICE_TTL_SECONDS = 365 * 24 * 3600;
const NONCE_SHAPE = /^[A-Za-z0-9_-]{16}$/;

function deviceSignature(secret: string, userId: string, nonce: string): string {
  return createHmac("sha256", secret).update(`device:${userId}:${nonce}`).digest("base64url");
}

/** The browser's device id when its cookie was issued for `user`, else null. */
export function knownDevice(c: Context<AppEnv>, secret: string, user: User | null): string | null {
  if (!user) return null;
  const [nonce = "", signature = ""] = (getCookie(c, DEVICE_COOKIE) ?? "").split(".");
  if (!NONCE_SHAPE.test(nonce)) return null;
  return tokensMatch(signature, deviceSignature(secret, user.id, nonce)) ? nonce : null;
}

/** Marks this browser as one `user` signs in from (after a successful sign-in). */
export function rememberDevice(c: Context<AppEnv>, deps: AppDeps, user: User): void {
  const nonce = knownDevice(c, deps.secret, user) ?? randomBytes(12).toString("base64url");
  setCookie(c, DEVICE_COOKIE, `${nonce}.${deviceSignature(deps.secret, user.id, nonce)}`, {
    path: "/signin",
    httpOnly: true,
    sameSite: "Lax",
    secure: deps.config.web.baseUrl.startsWith("https:"),
    maxAge: DEVICE_TTL_SECONDS,
  });
}

/** The counters a wrong password for `email` from this request adds to (and that may throttle it). */
export function signinChecks(c: Context<AppEnv>, email: string, device: string | null): RateCheck[] {
  const account = emailSubject(email);
  if (device) return [{ rule: RATE_RULES.signinFailPair, subject: `${account}|device:${device}` }];
  const ip = clientIp(c);
  return [
    { rule: RATE_RULES.signinFailPair, subject: `${account}|${ip}` },
    { rule: RATE_RULES.signinFailIp, subject: ip },
    { rule: RATE_RULES.signinFailEmail, subject: account },
  ];
}
