/** How long account secrets live. */

/** `signin`: the link mailed when sign-in from an address is throttled and the password given was right. */
export type OneTimePurpose = "verify" | "reset" | "signin";

/** Sessions last 30 days from their last renewal; a session used a day or more after its last renewal is renewed. */
export const SESSION_TTL_MS = 30 * 24 * 3600_000;
export const SESSION_RENEW_AFTER_MS = 24 * 3600_000;

/** How long a mailed link works: long enough to find a verification mail, short for a password reset. */
export const TOKEN_TTL_MS: Record<OneTimePurpose, number> = {
  verify: 48 * 3600_000,
  reset: 3600_000,
  signin: 15 * 60_000,
};
