/**
 * Signed links in digests and their confirmation mail. A token names a subscription and a purpose and is an
 * HMAC under the site's secret, so it works without signing in and cannot be forged or turned to another
 * subscription or purpose. Tokens do not expire: an unsubscribe link in a year-old digest must still work.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type LinkPurpose = "confirm" | "unsubscribe";

function signature(secret: string, purpose: LinkPurpose, subscriptionId: string): string {
  return createHmac("sha256", secret).update(`digest-${purpose}:${subscriptionId}`).digest("base64url");
}

export function signToken(secret: string, purpose: LinkPurpose, subscriptionId: string): string {
  return `${subscriptionId}.${signature(secret, purpose, subscriptionId)}`;
}

const TOKEN = /^([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{43})$/;

/** The subscription id a token names, or null when it is malformed or not signed by `secret` for `purpose`. */
export function verifyToken(secret: string, purpose: LinkPurpose, token: string): string | null {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const [, id, sig] = m as unknown as [string, string, string];
  const expected = Buffer.from(signature(secret, purpose, id));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}

/** Absolute URLs of the digest pages. */
export function digestLinks(baseUrl: string, secret: string, subscriptionId: string) {
  const unsubscribe = `${baseUrl}/digests/unsubscribe?token=${signToken(secret, "unsubscribe", subscriptionId)}`;
  return {
    confirm: `${baseUrl}/digests/confirm?token=${signToken(secret, "confirm", subscriptionId)}`,
    unsubscribe,
    manage: `${baseUrl}/settings/digests`,
    paper: (id: string) => `${baseUrl}/papers/${encodeURIComponent(id).replace(/%2F/g, "/")}`,
  };
}
