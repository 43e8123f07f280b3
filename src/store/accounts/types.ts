/** The accounts module's contract and value types; a leaf, so the parts that implement it import it freely. */
import type { Role, User } from "../../core/accounts.ts";
import type { IsoTimestamp } from "../../core/dates.ts";
import type { OneTimePurpose } from "./policy.ts";

/** What an API token may do: `read` answers GET (and HEAD) only; `write` may also vote, comment and save. */
export type ApiScope = "read" | "write";

export interface NewUser {
  email: string;
  name: string;
  /** The plain password; validated (core/accounts.ts) and hashed here. */
  password: string;
  /** Default `member`. */
  role?: Role;
  /** Mark the email verified at once (users made by an admin or the CLI). Default false. */
  verified?: boolean;
}

export interface Session {
  userId: string;
  /** The synchroniser token this session's forms must carry. */
  csrfToken: string;
  createdAt: IsoTimestamp;
  expiresAt: IsoTimestamp;
}

export interface ApiTokenInfo {
  id: string;
  userId: string;
  name: string;
  /** The first characters of the token, to tell tokens apart. */
  prefix: string;
  scope: ApiScope;
  createdAt: IsoTimestamp;
  lastUsedAt: IsoTimestamp | null;
}

export interface ListUsersOptions {
  /** Matches email or name, case-insensitively. */
  query?: string;
  limit?: number;
  offset?: number;
}

export interface Accounts {
  /** Throws AccountError `email_taken` when the (normalised) email has an account, or on an invalid field. */
  createUser(input: NewUser, now?: Date): Promise<User>;
  getUser(id: string): Promise<User | null>;
  getUserByEmail(email: string): Promise<User | null>;
  /**
   * The user whose email and password these are, or null; takes as long for an unknown email as for a known
   * one. Suspended users are returned too (check `suspendedAt`), so the caller can say why sign-in failed
   * only to someone who knows the password.
   */
  authenticate(email: string, password: string): Promise<User | null>;
  /** Newest first. */
  listUsers(options?: ListUsersOptions): Promise<User[]>;
  countUsers(): Promise<{ total: number; admins: number }>;
  updateName(userId: string, name: string, now?: Date): Promise<User>;
  /**
   * Sets a new password, ends every session of the user, voids outstanding reset and sign-in links and
   * revokes every API token (a token made by whoever knew the old password must not outlive it).
   */
  changePassword(userId: string, password: string, now?: Date): Promise<void>;
  markVerified(userId: string, now?: Date): Promise<User>;
  setRole(userId: string, role: Role, now?: Date): Promise<User>;
  /** Suspending ends every session and API token use of the user at once. */
  setSuspended(userId: string, suspended: boolean, now?: Date): Promise<User>;

  /** A new session; `token` goes into the cookie and is not stored. */
  createSession(userId: string, now?: Date): Promise<{ token: string; session: Session }>;
  /**
   * The live session of a cookie token and its user, or null (unknown, expired, or the user is suspended).
   * Renews the expiry once a day (sliding expiry).
   */
  resolveSession(token: string, now?: Date): Promise<{ session: Session; user: User } | null>;
  endSession(token: string): Promise<void>;
  endUserSessions(userId: string): Promise<number>;

  /** A token for a mailed link (verification, reset or sign-in), valid for TOKEN_TTL_MS[purpose]. */
  issueToken(userId: string, purpose: OneTimePurpose, now?: Date): Promise<string>;
  /** Uses up a mailed token; its user, or null when unknown, expired, already used, or for another purpose. */
  consumeToken(token: string, purpose: OneTimePurpose, now?: Date): Promise<User | null>;
  /** Whether a mailed token would be accepted, without using it up (to show the new-password form). */
  peekToken(token: string, purpose: OneTimePurpose, now?: Date): Promise<User | null>;

  /** A new API token; `token` is shown to the user once and not stored. */
  createApiToken(
    userId: string,
    name: string,
    now?: Date,
    scope?: ApiScope,
  ): Promise<{ token: string; info: ApiTokenInfo }>;
  listApiTokens(userId: string): Promise<ApiTokenInfo[]>;
  /** Whether a token of this user with this id was live and is now revoked. */
  revokeApiToken(userId: string, id: string, now?: Date): Promise<boolean>;
  /** The user and scope of a live API token (not revoked, user not suspended), or null. */
  resolveApiToken(token: string, now?: Date): Promise<{ user: User; scope: ApiScope } | null>;

  /**
   * Counts one hit on `key` in the fixed window of `windowMs` containing `now`; returns the hits so far in
   * that window and when it ends. Shared by every process using the database.
   */
  hitRateLimit(key: string, windowMs: number, now?: Date): Promise<{ count: number; resetAt: Date }>;
  /** Takes back one hit on `key` in the window containing `now` (an attempt that turned out legitimate). */
  releaseRateLimit(key: string, windowMs: number, now?: Date): Promise<void>;
}
