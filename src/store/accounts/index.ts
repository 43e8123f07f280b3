/**
 * The accounts module of the store (`store.accounts`): users, sessions, mailed one-time tokens, API tokens and
 * rate-limit counters. Bearer secrets (session cookies, mailed links, API tokens) are made here and returned
 * once; only their SHA-256 is stored. Passwords are hashed with scrypt (password.ts).
 *
 * For tests of other modules: `await store.accounts.createUser({ email, name, password })` makes a member
 * (pass `role: "admin"`, `verified: true` as needed), and `(await store.accounts.createSession(user.id)).token`
 * is the value of the `pb_session` cookie that signs that user in (src/http/accounts/session.ts).
 */
import type { Migration } from "kysely";
import type { Role, User } from "../../core/accounts.ts";
import type { RepoContext } from "../repo.ts";
import { accountsMigration, apiTokenScopesMigration } from "./migration.ts";
import { createRateLimits } from "./rate-limits.ts";
import { createSessions } from "./sessions.ts";
import { createTokens } from "./tokens.ts";
import type { Accounts } from "./types.ts";
import { createUsers } from "./users.ts";

export { type OneTimePurpose, SESSION_RENEW_AFTER_MS, SESSION_TTL_MS, TOKEN_TTL_MS } from "./policy.ts";
export type {
  Accounts,
  ApiScope,
  ApiTokenInfo,
  ListUsersOptions,
  NewUser,
  Session,
} from "./types.ts";
export type { Role, User };

/** Migrations of the accounts module, merged into the store's list. */
export const accountsMigrations: Record<string, Migration> = {
  "0005_accounts": accountsMigration,
  "0008_api_token_scopes": apiTokenScopesMigration,
};

export function createAccounts(ctx: RepoContext): Accounts {
  return {
    ...createUsers(ctx),
    ...createSessions(ctx),
    ...createTokens(ctx),
    ...createRateLimits(ctx),
  };
}
