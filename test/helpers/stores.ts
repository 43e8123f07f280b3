import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import pg from "pg";
import { openPostgresStore } from "../../src/store/postgres.ts";
import { openSqliteStore } from "../../src/store/sqlite.ts";
import type { Store } from "../../src/store/store.ts";

/** A fresh, migrated store, the URL or path that opens it again, and how to throw it away. */
export interface TestDatabase {
  /** `PAPERBOY_DB` value naming this database. */
  url: string;
  open(): Promise<Store>;
  drop(): Promise<void>;
}

export type StoreKind = "sqlite" | "postgres";

/** The server the PostgreSQL tests create their databases on. */
export const adminUrl = process.env.PAPERBOY_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

let counter = 0;

export async function createTestDatabase(kind: StoreKind): Promise<TestDatabase> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "paperboy-test-"));
    const path = join(dir, "paperboy.db");
    return {
      url: path,
      async open() {
        const store = openSqliteStore(path);
        await store.migrate();
        return store;
      },
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `paperboy_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async open() {
      const store = openPostgresStore(url.toString());
      await store.migrate();
      return store;
    },
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * For a suite whose tests each want an empty store: registers before/after hooks and returns `fresh()`, which
 * replaces the current database with a new, migrated one and hands it to `use`.
 */
export function useFreshStore(
  kind: StoreKind,
  use: (store: Store, db: TestDatabase) => void,
): () => Promise<void> {
  let db: TestDatabase | null = null;
  let store: Store | null = null;
  const fresh = async () => {
    await store?.close();
    await db?.drop();
    db = await createTestDatabase(kind);
    store = await db.open();
    use(store, db);
  };
  before(fresh);
  after(async () => {
    await store?.close();
    await db?.drop();
  });
  return fresh;
}
