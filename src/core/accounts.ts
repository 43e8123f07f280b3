/**
 * Accounts in the domain: users, roles, and the rules their fields follow. Pure: the store, the web forms and
 * the CLI all validate through these functions, so an email accepted by one is accepted by all.
 */

import { isCommonPassword } from "./common-passwords.ts";
import type { IsoTimestamp } from "./dates.ts";
import { PaperboyError } from "./errors.ts";

export const ROLES = ["member", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  /** Normalised: trimmed, lower case. */
  email: string;
  name: string;
  role: Role;
  /** When the user followed the link mailed to them; null until then. */
  verifiedAt: IsoTimestamp | null;
  /** Set by an admin; a suspended user cannot sign in and has no sessions. */
  suspendedAt: IsoTimestamp | null;
  createdAt: IsoTimestamp;
  updatedAt: IsoTimestamp;
}

export type AccountErrorCode =
  | "invalid_email"
  | "invalid_password"
  | "invalid_name"
  | "email_taken"
  | "unknown_user"
  | "invalid_token";

/** A rule an account field broke, with a message fit to show the user who typed it. */
export class AccountError extends PaperboyError {
  declare readonly code: AccountErrorCode;
  constructor(code: AccountErrorCode, message: string) {
    super(code, message);
    this.name = "AccountError";
  }
}

/** RFC 5321 limits: 254 characters in all, 64 before the @. */
export const EMAIL_MAX_LENGTH = 254;
const EMAIL_LOCAL_MAX_LENGTH = 64;
/** Long enough to resist guessing at our rate limits; the maximum only bounds the hashing work. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;
export const NAME_MAX_LENGTH = 60;

// Deliberately narrower than RFC 5322: no quotes, spaces, commas, angle brackets or line breaks, so an address
// can never smuggle a second recipient or a header into a message.
const LOCAL_PART = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** The email as stored and compared (trimmed, lower case), or an AccountError saying what is wrong. */
export function normaliseEmail(input: string): string {
  const email = input.trim().toLowerCase();
  const fail = (why: string) => new AccountError("invalid_email", `Email address ${why}.`);
  if (email.length === 0) throw fail("is required");
  if (email.length > EMAIL_MAX_LENGTH) throw fail(`must be at most ${EMAIL_MAX_LENGTH} characters`);
  const at = email.lastIndexOf("@");
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const labels = domain.split(".");
  const valid =
    at > 0 &&
    local.length <= EMAIL_LOCAL_MAX_LENGTH &&
    LOCAL_PART.test(local) &&
    !local.startsWith(".") &&
    !local.endsWith(".") &&
    !local.includes("..") &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label));
  if (!valid) throw fail("is not valid (expected something like name@example.org)");
  return email;
}

/** Throws an AccountError when a new password breaks a rule; `email` is refused as a password. */
export function checkPassword(password: string, email?: string): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    throw new AccountError(
      "invalid_password",
      `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`,
    );
  }
  if (length > PASSWORD_MAX_LENGTH) {
    throw new AccountError("invalid_password", `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`);
  }
  if (email !== undefined && password.trim().toLowerCase() === email.trim().toLowerCase()) {
    throw new AccountError("invalid_password", "Password must not be your email address.");
  }
  if (isCommonPassword(password)) {
    throw new AccountError(
      "invalid_password",
      "That password is one of the most common ones and easy to guess; choose another (a few unrelated words work well).",
    );
  }
}

// Control characters, and the invisible format characters (bidirectional overrides, zero-width joiners...)
// that let a name pose as another or reorder the text around it.
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u;

/**
 * The display name as stored: NFC, trimmed, inner whitespace collapsed. Markup is allowed as text (every
 * page escapes it); invisible and control characters are not.
 */
export function normaliseName(input: string): string {
  const name = input.normalize("NFC").trim().replace(/\s+/g, " ");
  if (name.length === 0) throw new AccountError("invalid_name", "Name is required.");
  if ([...name].length > NAME_MAX_LENGTH) {
    throw new AccountError("invalid_name", `Name must be at most ${NAME_MAX_LENGTH} characters.`);
  }
  if (HIDDEN_CHARACTERS.test(name)) {
    throw new AccountError("invalid_name", "Name must not contain control or invisible characters.");
  }
  return name;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
