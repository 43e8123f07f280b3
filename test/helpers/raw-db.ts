import Database from "better-sqlite3";
import pg from "pg";
import type { TestDatabase } from "./stores.ts";

/**
 * Reads rows straight from a test database, beside the store, to check what is actually persisted (for
 * instance that only hashes of secrets are). Read-only use.
 */
export async function rawRows(db: TestDatabase, query: string): Promise<Record<string, unknown>[]> {
  if (!db.url.startsWith("postgres")) {
    const sqlite = new Database(db.url, { readonly: true });
    try {
      return sqlite.prepare(query).all() as Record<string, unknown>[];
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(query)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}
