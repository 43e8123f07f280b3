import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.ts";

/** Runs `fn` on one connection inside a transaction opened by `begin`; commits on success, rolls back on error. */
export async function inTransaction<T>(
  db: Kysely<Database>,
  begin: (conn: Kysely<Database>) => Promise<void>,
  fn: (conn: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await begin(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
