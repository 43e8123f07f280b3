/** Tables of the accounts module, merged into `Database` (schema.ts). Timestamps are ISO 8601 text. */

export interface UsersTable {
  id: string;
  /** Normalised (trimmed, lower case); unique. */
  email: string;
  name: string;
  /** `scrypt$N$r$p$salt$hash` (see password.ts). */
  password_hash: string;
  role: string;
  verified_at: string | null;
  suspended_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A signed-in browser. Only a SHA-256 of the cookie's token is kept, so a leaked table opens no session. */
export interface SessionsTable {
  token_hash: string;
  user_id: string;
  /** The synchroniser token every form of this session carries. */
  csrf_token: string;
  created_at: string;
  /** Last time the expiry was pushed forward (sliding renewal). */
  renewed_at: string;
  expires_at: string;
}

/** Links mailed for email verification and password reset: hashed, expiring, used once. */
export interface OneTimeTokensTable {
  token_hash: string;
  user_id: string;
  purpose: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Tokens programs send as `Authorization: Bearer ...`; hashed like sessions. */
export interface ApiTokensTable {
  id: string;
  token_hash: string;
  user_id: string;
  name: string;
  /** The token's first characters, shown in settings so a user can tell tokens apart. */
  prefix: string;
  /** `read` or `write` (see ApiScope). */
  scope: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Fixed-window counters, in the database so every replica counts the same hits. */
export interface RateLimitsTable {
  /** `<bucket>|<subject>|<window start>`. */
  key: string;
  count: number;
  expires_at: string;
}

export interface AccountsTables {
  users: UsersTable;
  sessions: SessionsTable;
  one_time_tokens: OneTimeTokensTable;
  api_tokens: ApiTokensTable;
  rate_limits: RateLimitsTable;
}
