import { createHash, randomBytes } from "node:crypto";

/** A fresh bearer secret: 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * What the database keeps of a bearer secret. A plain SHA-256 suffices (no salt, no stretching): the
 * secrets are 256 random bits, so there is nothing to guess, and a fast hash keeps lookups by hash cheap.
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
