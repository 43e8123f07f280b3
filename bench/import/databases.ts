import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export type StoreKind = "sqlite" | "postgres";

/** A fresh, empty database for one benchmark run, and how to throw it away. */
export interface BenchDatabase {
  kind: StoreKind;
  /** What the worker opens: a SQLite file path or a postgres:// URL. */
  url: string;
  drop(): Promise<void>;
}

let created = 0;

function freshSqlite(): BenchDatabase {
  const dir = mkdtempSync(join(tmpdir(), "paperboy-bench-"));
  return {
    kind: "sqlite",
    url: join(dir, "paperboy.db"),
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function onServer(adminUrl: string, statement: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * The server's version and whether autovacuum runs: without it nothing ANALYZEs the tables during a long
 * import, and plans chosen on an empty table's statistics stay in use, so it belongs next to the numbers.
 */
export async function describePostgres(adminUrl: string): Promise<string> {
  const { rows } = await onServer(
    adminUrl,
    "select current_setting('server_version') as version, current_setting('autovacuum') as autovacuum",
  );
  const row = rows[0] as { version?: string; autovacuum?: string } | undefined;
  return `PostgreSQL ${row?.version ?? "?"} (autovacuum ${row?.autovacuum ?? "?"})`;
}

/** A database `paperboy_bench_<pid>_<n>` created through `adminUrl` (a URL of the `postgres` database). */
async function freshPostgres(adminUrl: string): Promise<BenchDatabase> {
  const name = `paperboy_bench_${process.pid}_${created++}`;
  await onServer(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind: "postgres",
    url: url.toString(),
    async drop() {
      await onServer(adminUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

export function createDatabase(kind: StoreKind, adminUrl: string): Promise<BenchDatabase> {
  return kind === "sqlite" ? Promise.resolve(freshSqlite()) : freshPostgres(adminUrl);
}
