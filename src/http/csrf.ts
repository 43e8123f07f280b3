/**
 * Cross-site request forgery protection for every form POST (and any other unsafe method) that a browser
 * sends with cookies. Signed-in forms carry the session's synchroniser token (stored with the session);
 * signed-out forms (sign in, sign up, reset) carry an HMAC of a random cookie, so a forged form from another
 * site, which can neither read the cookie nor the page, cannot name the right token. Programs calling the
 * API with `Authorization: Bearer` need no token: a browser never adds that header on its own.
 *
 * Forms put the token in a hidden field named `_csrf` (the value is `c.get("csrf")`); scripts send it in the
 * `X-CSRF-Token` header.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import type { AppEnv } from "./env.ts";

export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "x-csrf-token";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The token for a signed-out browser holding the random `anonId` cookie. */
export function signedOutToken(secret: string, anonId: string): string {
  return createHmac("sha256", secret).update(`csrf:${anonId}`).digest("base64url");
}

export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** Equal strings, compared in constant time; an empty expected value never matches. */
export function tokensMatch(given: string, expected: string): boolean {
  if (expected.length === 0) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The token the request carries: the header, else the `_csrf` field of a form body. Hono caches the parsed
 * body, so the route can still read the form afterwards.
 */
export async function submittedToken(c: Context<AppEnv>): Promise<string> {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  const type = c.req.header("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return "";
  try {
    const body = await c.req.parseBody();
    const value = body[CSRF_FIELD];
    return typeof value === "string" ? value : "";
  } catch {
    return "";
  }
}
