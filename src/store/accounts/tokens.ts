import { randomUUID } from "node:crypto";
import { AccountError } from "../../core/accounts.ts";
import type { IsoTimestamp } from "../../core/dates.ts";
import type { RepoContext } from "../repo.ts";
import { TOKEN_TTL_MS } from "./policy.ts";
import { iso, rowToUser } from "./rows.ts";
import { hashToken, newToken } from "./secrets.ts";
import type { Accounts, ApiScope, ApiTokenInfo } from "./types.ts";

type TokenMethods = Pick<
  Accounts,
  | "issueToken"
  | "consumeToken"
  | "peekToken"
  | "createApiToken"
  | "listApiTokens"
  | "revokeApiToken"
  | "resolveApiToken"
>;

const MAILED_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** API tokens say what they are (`pb_`), so secret scanners and people recognise a leaked one. */
const API_TOKEN_PREFIX = "pb_";
const API_TOKEN_SHAPE = /^pb_[A-Za-z0-9_-]{43}$/;
export const API_TOKEN_NAME_MAX = 60;
/** Writing `last_used_at` on every API call would make reads write; once a minute is precise enough. */
const LAST_USED_PRECISION_MS = 60_000;

export function createTokens(ctx: RepoContext): TokenMethods {
  const { db } = ctx;

  const findLive = async (token: string, purpose: string, now: Date) => {
    if (!MAILED_TOKEN_SHAPE.test(token)) return null;
    const row = await db
      .selectFrom("one_time_tokens")
      .innerJoin("users", "users.id", "one_time_tokens.user_id")
      .selectAll("users")
      .where("one_time_tokens.token_hash", "=", hashToken(token))
      .where("one_time_tokens.purpose", "=", purpose)
      .where("one_time_tokens.used_at", "is", null)
      .where("one_time_tokens.expires_at", ">", iso(now))
      .executeTakeFirst();
    return row ? rowToUser(row) : null;
  };

  return {
    async issueToken(userId, purpose, now = new Date()) {
      const token = newToken();
      await db
        .insertInto("one_time_tokens")
        .values({
          token_hash: hashToken(token),
          user_id: userId,
          purpose,
          created_at: iso(now),
          expires_at: iso(new Date(now.getTime() + TOKEN_TTL_MS[purpose])),
          used_at: null,
        })
        .execute();
      return token;
    },

    async consumeToken(token, purpose, now = new Date()) {
      if (!MAILED_TOKEN_SHAPE.test(token)) return null;
      const at = iso(now);
      // One conditional update both checks and uses the token, so two requests racing with the same link
      // cannot both succeed.
      const used = await db
        .updateTable("one_time_tokens")
        .set({ used_at: at })
        .where("token_hash", "=", hashToken(token))
        .where("purpose", "=", purpose)
        .where("used_at", "is", null)
        .where("expires_at", ">", at)
        .returning("user_id")
        .executeTakeFirst();
      if (!used) return null;
      const row = await db.selectFrom("users").selectAll().where("id", "=", used.user_id).executeTakeFirst();
      return row ? rowToUser(row) : null;
    },

    peekToken: (token, purpose, now = new Date()) => findLive(token, purpose, now),

    async createApiToken(userId, name, now = new Date(), scope = "read") {
      const label = name.trim().replace(/\s+/g, " ");
      if (label.length === 0 || [...label].length > API_TOKEN_NAME_MAX || /\p{Cc}/u.test(label)) {
        throw new AccountError(
          "invalid_name",
          `Token name must be 1 to ${API_TOKEN_NAME_MAX} characters, without control characters.`,
        );
      }
      const token = `${API_TOKEN_PREFIX}${newToken()}`;
      const info: ApiTokenInfo = {
        id: randomUUID(),
        userId,
        name: label,
        prefix: token.slice(0, 10),
        scope,
        createdAt: iso(now),
        lastUsedAt: null,
      };
      await db
        .insertInto("api_tokens")
        .values({
          id: info.id,
          token_hash: hashToken(token),
          user_id: userId,
          name: info.name,
          prefix: info.prefix,
          scope,
          created_at: info.createdAt,
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
      return { token, info };
    },

    async listApiTokens(userId) {
      const rows = await db
        .selectFrom("api_tokens")
        .selectAll()
        .where("user_id", "=", userId)
        .where("revoked_at", "is", null)
        .orderBy("created_at", "desc")
        .orderBy("id")
        .execute();
      return rows.map((row) => ({
        id: row.id,
        userId: row.user_id,
        name: row.name,
        prefix: row.prefix,
        scope: asScope(row.scope),
        createdAt: row.created_at as IsoTimestamp,
        lastUsedAt: row.last_used_at as IsoTimestamp | null,
      }));
    },

    async revokeApiToken(userId, id, now = new Date()) {
      const result = await db
        .updateTable("api_tokens")
        .set({ revoked_at: iso(now) })
        .where("id", "=", id)
        .where("user_id", "=", userId)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async resolveApiToken(token, now = new Date()) {
      if (!API_TOKEN_SHAPE.test(token)) return null;
      const tokenHash = hashToken(token);
      const row = await db
        .selectFrom("api_tokens")
        .innerJoin("users", "users.id", "api_tokens.user_id")
        .selectAll("users")
        .select(["api_tokens.last_used_at", "api_tokens.scope"])
        .where("api_tokens.token_hash", "=", tokenHash)
        .where("api_tokens.revoked_at", "is", null)
        .executeTakeFirst();
      if (!row || row.suspended_at !== null) return null;
      const last = row.last_used_at ? Date.parse(row.last_used_at) : 0;
      if (now.getTime() - last >= LAST_USED_PRECISION_MS) {
        await db
          .updateTable("api_tokens")
          .set({ last_used_at: iso(now) })
          .where("token_hash", "=", tokenHash)
          .execute();
      }
      return { user: rowToUser(row), scope: asScope(row.scope) };
    },
  };
}

/** An unknown stored scope grants the least. */
function asScope(value: string): ApiScope {
  return value === "write" ? "write" : "read";
}
