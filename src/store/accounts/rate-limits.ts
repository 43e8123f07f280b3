import type { RepoContext } from "../repo.ts";
import { iso } from "./rows.ts";
import type { Accounts } from "./types.ts";

type RateLimitMethods = Pick<Accounts, "hitRateLimit" | "releaseRateLimit">;

function windowOf(windowMs: number, now: Date): { start: number; resetAt: Date } {
  if (!Number.isInteger(windowMs) || windowMs <= 0)
    throw new RangeError("windowMs must be a positive integer");
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  return { start, resetAt: new Date(start + windowMs) };
}

export function createRateLimits(ctx: RepoContext): RateLimitMethods {
  const { db } = ctx;
  return {
    async releaseRateLimit(key, windowMs, now = new Date()) {
      const { start } = windowOf(windowMs, now);
      await db
        .updateTable("rate_limits")
        .set((eb) => ({ count: eb(eb.ref("count"), "-", 1) }))
        .where("key", "=", `${key}|${start}`)
        .where("count", ">", 0)
        .execute();
    },

    async hitRateLimit(key, windowMs, now = new Date()) {
      const { start, resetAt } = windowOf(windowMs, now);
      // The window's start is part of the key, so a new window starts a new row and never inherits a count.
      const row = await db
        .insertInto("rate_limits")
        .values({ key: `${key}|${start}`, count: 1, expires_at: iso(resetAt) })
        .onConflict((oc) =>
          oc.column("key").doUpdateSet((eb) => ({ count: eb(eb.ref("rate_limits.count"), "+", 1) })),
        )
        .returning("count")
        .executeTakeFirstOrThrow();
      const count = Number(row.count);
      // The first hit of a window sweeps the finished ones, so the table stays as small as the live windows.
      if (count === 1) await db.deleteFrom("rate_limits").where("expires_at", "<=", iso(now)).execute();
      return { count, resetAt };
    },
  };
}
