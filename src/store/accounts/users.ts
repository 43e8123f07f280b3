import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import {
  AccountError,
  checkPassword,
  normaliseEmail,
  normaliseName,
  type Role,
  type User,
} from "../../core/accounts.ts";
import type { RepoContext } from "../repo.ts";
import { hashPassword, verifyAgainstNothing, verifyPassword } from "./password.ts";
import { iso, rowToUser } from "./rows.ts";
import type { Accounts } from "./types.ts";

type UserMethods = Pick<
  Accounts,
  | "createUser"
  | "getUser"
  | "getUserByEmail"
  | "authenticate"
  | "listUsers"
  | "countUsers"
  | "updateName"
  | "changePassword"
  | "markVerified"
  | "setRole"
  | "setSuspended"
>;

const MAX_LIST = 500;

export function createUsers(ctx: RepoContext): UserMethods {
  const { db } = ctx;

  const getUser = async (id: string): Promise<User | null> => {
    const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? rowToUser(row) : null;
  };

  const mustGet = async (id: string): Promise<User> => {
    const user = await getUser(id);
    if (!user) throw new AccountError("unknown_user", `No user with id "${id.slice(0, 80)}".`);
    return user;
  };

  const update = async (id: string, set: { name?: string; role?: Role }, now: Date): Promise<User> => {
    await db
      .updateTable("users")
      .set({ ...set, updated_at: iso(now) })
      .where("id", "=", id)
      .execute();
    return mustGet(id);
  };

  return {
    async createUser(input, now = new Date()) {
      const email = normaliseEmail(input.email);
      const name = normaliseName(input.name);
      checkPassword(input.password, email);
      const passwordHash = await hashPassword(input.password);
      const at = iso(now);
      const id = randomUUID();
      await ctx.write(async (conn) => {
        // The write lock serialises sign-ups, so checking first is enough to keep emails unique (the unique
        // index backs it up) and yields a clear error instead of a driver's constraint message.
        const taken = await conn
          .selectFrom("users")
          .select("id")
          .where("email", "=", email)
          .executeTakeFirst();
        if (taken) throw new AccountError("email_taken", "An account with this email already exists.");
        await conn
          .insertInto("users")
          .values({
            id,
            email,
            name,
            password_hash: passwordHash,
            role: input.role ?? "member",
            verified_at: input.verified ? at : null,
            suspended_at: null,
            created_at: at,
            updated_at: at,
          })
          .execute();
      });
      return mustGet(id);
    },

    getUser,

    async getUserByEmail(email) {
      let normalised: string;
      try {
        normalised = normaliseEmail(email);
      } catch {
        return null;
      }
      const row = await db.selectFrom("users").selectAll().where("email", "=", normalised).executeTakeFirst();
      return row ? rowToUser(row) : null;
    },

    async authenticate(email, password) {
      let normalised: string | null = null;
      try {
        normalised = normaliseEmail(email);
      } catch {
        // Fall through to the dummy check, so a malformed email takes as long as a wrong password.
      }
      const row = normalised
        ? await db.selectFrom("users").selectAll().where("email", "=", normalised).executeTakeFirst()
        : undefined;
      if (!row) return verifyAgainstNothing(password).then(() => null);
      return (await verifyPassword(password, row.password_hash)) ? rowToUser(row) : null;
    },

    async listUsers(options = {}) {
      const limit = Math.max(1, Math.min(MAX_LIST, Math.floor(options.limit ?? 100)));
      const offset = Math.max(0, Math.floor(options.offset ?? 0));
      let q = db.selectFrom("users").selectAll().orderBy("created_at", "desc").orderBy("id").limit(limit);
      if (offset > 0) q = q.offset(offset);
      const query = options.query?.trim().toLowerCase();
      if (query) {
        // LIKE wildcards in the query are matched literally.
        const pattern = `%${query.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
        // SQLite has no default LIKE escape character; naming one makes both dialects agree.
        q = q.where(
          sql<boolean>`(email like ${pattern} escape '\\' or lower(name) like ${pattern} escape '\\')`,
        );
      }
      return (await q.execute()).map(rowToUser);
    },

    async countUsers() {
      const row = await db
        .selectFrom("users")
        .select((eb) => [
          eb.fn.countAll<number | string>().as("total"),
          eb.fn
            .sum<number | string | null>(eb.case().when("role", "=", "admin").then(1).else(0).end())
            .as("admins"),
        ])
        .executeTakeFirstOrThrow();
      return { total: Number(row.total), admins: Number(row.admins ?? 0) };
    },

    async updateName(userId, name, now = new Date()) {
      return update(userId, { name: normaliseName(name) }, now);
    },

    async changePassword(userId, password, now = new Date()) {
      const user = await mustGet(userId);
      checkPassword(password, user.email);
      const passwordHash = await hashPassword(password);
      const at = iso(now);
      await ctx.write(async (conn) => {
        await conn
          .updateTable("users")
          .set({ password_hash: passwordHash, updated_at: at })
          .where("id", "=", userId)
          .execute();
        // Whoever knew the old password (or held a session made with it) is locked out from here on.
        await conn.deleteFrom("sessions").where("user_id", "=", userId).execute();
        await conn
          .updateTable("one_time_tokens")
          .set({ used_at: at })
          .where("user_id", "=", userId)
          .where("purpose", "in", ["reset", "signin"])
          .where("used_at", "is", null)
          .execute();
        await conn
          .updateTable("api_tokens")
          .set({ revoked_at: at })
          .where("user_id", "=", userId)
          .where("revoked_at", "is", null)
          .execute();
      });
    },

    async markVerified(userId, now = new Date()) {
      const at = iso(now);
      await db
        .updateTable("users")
        .set({ verified_at: at, updated_at: at })
        .where("id", "=", userId)
        .where("verified_at", "is", null)
        .execute();
      return mustGet(userId);
    },

    async setRole(userId, role, now = new Date()) {
      return update(userId, { role }, now);
    },

    async setSuspended(userId, suspended, now = new Date()) {
      const at = iso(now);
      await ctx.write(async (conn) => {
        await conn
          .updateTable("users")
          .set({ suspended_at: suspended ? at : null, updated_at: at })
          .where("id", "=", userId)
          .execute();
        if (suspended) await conn.deleteFrom("sessions").where("user_id", "=", userId).execute();
      });
      return mustGet(userId);
    },
  };
}
