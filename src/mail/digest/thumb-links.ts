/**
 * Signed thumbs-up and thumbs-down links for the papers a digest recommends (mail, Slack, webhooks). A link
 * names a member, a paper and a direction, and carries an HMAC of the three under the site's secret, so it
 * works without signing in and cannot be turned to another member, paper or direction. Like the unsubscribe
 * link, it does not expire. Following it opens a page whose one button records the thumb (a POST): mail
 * scanners that fetch every link in a message must not cast a reader's thumbs for them.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type ThumbDirection = "up" | "down";

/** The query a signed link carries: member, paper, direction and signature. */
export interface ThumbClaim {
  userId: string;
  paperId: string;
  thumb: ThumbDirection;
}

function signature(secret: string, claim: ThumbClaim): string {
  return createHmac("sha256", secret)
    .update(`recommend-thumb:${claim.userId}:${claim.paperId}:${claim.thumb}`)
    .digest("base64url");
}

/** The path and query of a signed link (`/recommend/thumb?...`). */
export function thumbPath(secret: string, claim: ThumbClaim): string {
  const q = new URLSearchParams({
    u: claim.userId,
    p: claim.paperId,
    t: claim.thumb,
    s: signature(secret, claim),
  });
  return `/recommend/thumb?${q.toString()}`;
}

/** The claim a link's query makes, or null when it is incomplete or not signed by `secret`. */
export function verifyThumb(
  secret: string,
  query: { u?: string; p?: string; t?: string; s?: string },
): ThumbClaim | null {
  const { u, p, t, s } = query;
  if (!u || !p || !s || (t !== "up" && t !== "down")) return null;
  if (u.length > 64 || p.length > 64) return null;
  const claim: ThumbClaim = { userId: u, paperId: p, thumb: t };
  const expected = Buffer.from(signature(secret, claim));
  const given = Buffer.from(s);
  return given.length === expected.length && timingSafeEqual(given, expected) ? claim : null;
}

/** Absolute up and down links for one member's recommended paper. */
export function thumbLinks(baseUrl: string, secret: string, userId: string) {
  return (paperId: string) => ({
    up: `${baseUrl}${thumbPath(secret, { userId, paperId, thumb: "up" })}`,
    down: `${baseUrl}${thumbPath(secret, { userId, paperId, thumb: "down" })}`,
  });
}
