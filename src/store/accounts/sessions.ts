import type { IsoTimestamp } from "../../core/dates.ts";
import type { RepoContext } from "../repo.ts";
import { SESSION_RENEW_AFTER_MS, SESSION_TTL_MS } from "./policy.ts";
import { iso, rowToUser } from "./rows.ts";
import { hashToken, newToken } from "./secrets.ts";
import type { Accounts, Session } from "./types.ts";

type SessionMethods = Pick<Accounts, "createSession" | "resolveSession" | "endSession" | "endUserSessions">;

/** Cookie tokens are base64url of 32 bytes; anything else is refused before touching the database. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function createSessions(ctx: RepoContext): SessionMethods {
  const { db } = ctx;
  return {
    async createSession(userId, now = new Date()) {
      const token = newToken();
      const session: Session = {
        userId,
        csrfToken: newToken(),
        createdAt: iso(now),
        expiresAt: iso(new Date(now.getTime() + SESSION_TTL_MS)),
      };
      await db
        .insertInto("sessions")
        .values({
          token_hash: hashToken(token),
          user_id: userId,
          csrf_token: session.csrfToken,
          created_at: session.createdAt,
          renewed_at: session.createdAt,
          expires_at: session.expiresAt,
        })
        .execute();
      return { token, session };
    },

    async resolveSession(token, now = new Date()) {
      if (!TOKEN_SHAPE.test(token)) return null;
      const tokenHash = hashToken(token);
      const row = await db
        .selectFrom("sessions")
        .innerJoin("users", "users.id", "sessions.user_id")
        .selectAll("users")
        .select([
          "sessions.csrf_token",
          "sessions.created_at as session_created_at",
          "sessions.renewed_at",
          "sessions.expires_at",
        ])
        .where("sessions.token_hash", "=", tokenHash)
        .executeTakeFirst();
      if (!row) return null;
      const at = iso(now);
      if (row.expires_at <= at) {
        await db.deleteFrom("sessions").where("token_hash", "=", tokenHash).execute();
        return null;
      }
      if (row.suspended_at !== null) return null;
      let expiresAt = row.expires_at as IsoTimestamp;
      if (now.getTime() - Date.parse(row.renewed_at) >= SESSION_RENEW_AFTER_MS) {
        expiresAt = iso(new Date(now.getTime() + SESSION_TTL_MS));
        await db
          .updateTable("sessions")
          .set({ renewed_at: at, expires_at: expiresAt })
          .where("token_hash", "=", tokenHash)
          .execute();
      }
      const session: Session = {
        userId: row.id,
        csrfToken: row.csrf_token,
        createdAt: row.session_created_at as IsoTimestamp,
        expiresAt,
      };
      return { session, user: rowToUser(row) };
    },

    async endSession(token) {
      if (!TOKEN_SHAPE.test(token)) return;
      await db.deleteFrom("sessions").where("token_hash", "=", hashToken(token)).execute();
    },

    async endUserSessions(userId) {
      const result = await db.deleteFrom("sessions").where("user_id", "=", userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
