import { type QueryExecutorProvider, sql } from "kysely";
import type { Scored } from "../index/top-k.ts";
import type { AsyncVectorIndex, ExactVectors, VectorFilter } from "./vector-index.ts";

/**
 * What the index needs of a Kysely instance, whatever its tables: running SQL and transactions. The store's
 * `db` and a test's database both fit.
 */
export interface SqlDatabase extends QueryExecutorProvider {
  transaction(): { execute<T>(fn: (trx: QueryExecutorProvider) => Promise<T>): Promise<T> };
}

/**
 * Build folder names (`EngineFiles`), at most 48 characters so the index name below stays within PostgreSQL's
 * 63-character identifiers. Checked before a name is ever put into SQL text.
 */
const BUILD_NAME = /^build-[A-Za-z0-9-]{1,42}$/;
/** pgvector's HNSW indexes `vector` up to 2,000 dimensions and `halfvec` up to 4,000. */
const MAX_VECTOR = 2_000;
const MAX_HALFVEC = 4_000;
/** Rows per INSERT (three parameters each). */
const INSERT_BATCH = 500;
/** pgvector's largest `hnsw.ef_search`: without iterative scans an HNSW scan returns at most this many rows. */
const MAX_EF_SEARCH = 1_000;
const MIN_EF_SEARCH = 40;

export interface PublishProgress {
  done: number;
  total: number;
}

/**
 * Approximate nearest neighbours by inner product in PostgreSQL with pgvector, for a store on PostgreSQL: the
 * vectors live in the database beside the papers, one HNSW index per engine build, so replicas share one
 * index instead of each mapping its own graph file.
 *
 * Tables (made by `ensure`): `search_vector_builds` (one row per build: dimensions, size, whether publishing
 * finished) and `search_vectors(build, doc, embedding)`. Each build gets a partial expression index
 * `using hnsw ((embedding::vector(D)) vector_ip_ops) where build = '<build>'` (halfvec above 2,000
 * dimensions), so builds of different dimensions share the table and a build is dropped with its index. A
 * query names its build as a literal in the SQL text: with a bind parameter PostgreSQL could not prove the
 * partial index applies and would read every row.
 *
 * Vectors are unit length, so inner product is cosine; `<#>` is the negative inner product. Like the usearch
 * graph, this only proposes candidates: the engine rescores them with its exact float vectors.
 */
export class PgVectorIndex implements AsyncVectorIndex {
  readonly kind = "pgvector";
  /** Whether the server's pgvector can continue an HNSW scan past ef_search (0.8+), probed on first need. */
  private iterative: Promise<boolean> | null = null;

  private constructor(
    private readonly db: SqlDatabase,
    readonly build: string,
    readonly dimensions: number,
    readonly size: number,
  ) {}

  /** Whether the server offers the `vector` extension (installed on the server, maybe not yet created here). */
  static async available(db: SqlDatabase): Promise<boolean> {
    const { rows } = await sql`select 1 as one from pg_available_extensions where name = 'vector'`.execute(
      db,
    );
    return rows.length > 0;
  }

  /** Creates the extension (if needed) and the tables; a clear error when the extension is missing or refused. */
  static async ensure(db: SqlDatabase): Promise<void> {
    if (!(await PgVectorIndex.available(db))) {
      throw new Error(
        "the PostgreSQL server does not have the pgvector extension (no 'vector' in pg_available_extensions): " +
          "install pgvector on the database server, or set PAPERBOY_VECTOR_INDEX=usearch",
      );
    }
    try {
      await sql`create extension if not exists vector`.execute(db);
    } catch (error) {
      throw new Error(
        `could not create the PostgreSQL extension "vector" (${(error as Error).message}): ` +
          "ask the database administrator to run `create extension vector;` in this database once, " +
          "or set PAPERBOY_VECTOR_INDEX=usearch",
      );
    }
    await sql`create table if not exists search_vector_builds (
      build text primary key,
      dimensions integer not null,
      size integer not null,
      complete boolean not null default false,
      started_at timestamptz not null default now()
    )`.execute(db);
    await sql`create table if not exists search_vectors (
      build text not null,
      doc integer not null,
      embedding vector not null,
      primary key (build, doc)
    )`.execute(db);
  }

  /**
   * Writes every row of `vectors` under `build` (document i = row i) and indexes them. Anything left under
   * that name by an earlier attempt is removed first, so a publish interrupted half way is simply run again.
   */
  static async publish(
    db: SqlDatabase,
    build: string,
    vectors: ExactVectors,
    onProgress?: (progress: PublishProgress) => void,
  ): Promise<PgVectorIndex> {
    checkBuildName(build);
    const type = vectorType(vectors.dimensions);
    await PgVectorIndex.ensure(db);
    await PgVectorIndex.drop(db, build);
    const total = vectors.size;
    await sql`insert into search_vector_builds (build, dimensions, size)
      values (${build}, ${vectors.dimensions}, ${total})`.execute(db);
    for (let start = 0; start < total; start += INSERT_BATCH) {
      const end = Math.min(total, start + INSERT_BATCH);
      const rows = [];
      for (let doc = start; doc < end; doc++) {
        rows.push(sql`(${build}, ${doc}, ${vectorLiteral(vectors.row(doc))}::vector)`);
      }
      await sql`insert into search_vectors (build, doc, embedding) values ${sql.join(rows)}`.execute(db);
      onProgress?.({ done: end, total });
    }
    const opclass = sql.raw(type.name === "vector" ? "vector_ip_ops" : "halfvec_ip_ops");
    await sql`create index ${sql.id(indexName(build))} on search_vectors
      using hnsw ((${type.column}) ${opclass}) where build = ${sql.lit(build)}`.execute(db);
    await sql`update search_vector_builds set complete = true where build = ${build}`.execute(db);
    // Fresh statistics, so the planner sees how many rows the new build's index covers.
    await sql`analyze search_vectors`.execute(db);
    return new PgVectorIndex(db, build, vectors.dimensions, total);
  }

  /**
   * The published vectors of `build`; fails, saying how to recover, unless they are all there with the
   * dimensions and number of documents the engine expects.
   */
  static async open(
    db: SqlDatabase,
    build: string,
    dimensions: number,
    size: number,
  ): Promise<PgVectorIndex> {
    vectorType(dimensions);
    const row = await PgVectorIndex.published(db, build);
    const rebuild = "rebuild the search engine (paperboy embed --rebuild)";
    if (row === null || !row.complete) {
      throw new Error(`the vectors of search engine build ${build} are not in PostgreSQL: ${rebuild}`);
    }
    if (row.dimensions !== dimensions || row.size !== size) {
      throw new Error(
        `PostgreSQL holds ${row.size} ${row.dimensions}-dimensional vectors for build ${build}, the engine ` +
          `${size} ${dimensions}-dimensional ones: ${rebuild}`,
      );
    }
    return new PgVectorIndex(db, build, dimensions, size);
  }

  /** What the database holds for `build`: its dimensions, rows and whether publishing finished; or null. */
  static async published(
    db: SqlDatabase,
    build: string,
  ): Promise<{ dimensions: number; size: number; complete: boolean } | null> {
    checkBuildName(build);
    if (!(await tableExists(db, "search_vector_builds"))) return null;
    const { rows } = await sql<{ dimensions: number; size: number; complete: boolean }>`
      select dimensions, size, complete from search_vector_builds where build = ${build}`.execute(db);
    return rows[0] ?? null;
  }

  /** Removes a build's rows, index and bookkeeping (nothing to do when it was never published). */
  static async drop(db: SqlDatabase, build: string): Promise<void> {
    checkBuildName(build);
    if (!(await tableExists(db, "search_vector_builds"))) return;
    // Concurrently: a plain DROP INDEX locks the whole table, stalling searches of the current build.
    await sql`drop index concurrently if exists ${sql.id(indexName(build))}`.execute(db);
    await sql`delete from search_vectors where build = ${build}`.execute(db);
    await sql`delete from search_vector_builds where build = ${build}`.execute(db);
  }

  /** Every build with vectors in the database, finished or not, with when its publishing started. */
  static async builds(db: SqlDatabase): Promise<{ build: string; complete: boolean; startedAt: Date }[]> {
    if (!(await tableExists(db, "search_vector_builds"))) return [];
    const { rows } = await sql<{ build: string; complete: boolean; started_at: Date | string }>`
      select build, complete, started_at from search_vector_builds order by build`.execute(db);
    return rows.map((r) => ({ build: r.build, complete: r.complete, startedAt: new Date(r.started_at) }));
  }

  /**
   * The k documents with the highest inner product with `query` that `filter` accepts, best first. A filter
   * costs one more row per query (it usually rejects one document, the paper a "similar" list is for); if it
   * rejects more, the search is widened.
   */
  async search(query: Float32Array, k: number, filter?: VectorFilter): Promise<Scored[]> {
    if (k <= 0 || this.size === 0) return [];
    if (query.length !== this.dimensions) {
      throw new Error(`query has ${query.length} dimensions; the index holds ${this.dimensions}`);
    }
    let fetch = filter === undefined ? k : k + 1;
    for (;;) {
      const want = Math.min(this.size, fetch);
      const found = await this.nearestRows(query, want);
      const out = filter === undefined ? found : found.filter((h) => filter(h.doc));
      if (out.length >= k || found.length < want || want >= this.size) return out.slice(0, k);
      fetch = want * 4;
    }
  }

  /** One HNSW scan for the `want` nearest rows of this build. */
  private async nearestRows(query: Float32Array, want: number): Promise<Scored[]> {
    const type = vectorType(this.dimensions);
    const deep = want > MAX_EF_SEARCH && (await this.canScanIteratively());
    const distance = sql`${type.column} <#> ${vectorLiteral(query)}::${type.cast}`;
    return this.db.transaction().execute(async (trx) => {
      const ef = Math.min(MAX_EF_SEARCH, Math.max(MIN_EF_SEARCH, want));
      await sql`select set_config('hnsw.ef_search', ${String(ef)}, true)`.execute(trx);
      // Past ef_search rows, pgvector 0.8 keeps walking the graph when asked to; order is then only nearly
      // exact, which the engine's exact rescoring makes good.
      if (deep) await sql`select set_config('hnsw.iterative_scan', 'relaxed_order', true)`.execute(trx);
      const { rows } = await sql<{ doc: number; distance: number }>`
        select doc, ${distance} as distance from search_vectors
        where build = ${sql.lit(this.build)}
        order by ${distance} limit ${want}`.execute(trx);
      return rows.map((r) => ({ doc: r.doc, score: -Number(r.distance) }));
    });
  }

  private canScanIteratively(): Promise<boolean> {
    this.iterative ??= sql<{ version: string }>`
      select extversion as version from pg_extension where extname = 'vector'`
      .execute(this.db)
      .then(({ rows }) => {
        const [major = 0, minor = 0] = (rows[0]?.version ?? "0").split(".").map(Number);
        return major > 0 || minor >= 8;
      });
    return this.iterative;
  }
}

/** Throws unless `build` is a build folder name, which is then safe to put into SQL text. */
export function checkBuildName(build: string): void {
  if (!BUILD_NAME.test(build)) {
    throw new Error(`"${build}" is not a search engine build name (build-<letters, digits, dashes>)`);
  }
}

function indexName(build: string): string {
  return `search_vectors_${build}`;
}

/** How vectors of `dimensions` floats are indexed: the cast in the index expression and in queries. */
function vectorType(dimensions: number) {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_HALFVEC) {
    throw new Error(
      `pgvector indexes at most ${MAX_HALFVEC} dimensions, not ${dimensions}: set PAPERBOY_VECTOR_INDEX=usearch`,
    );
  }
  const name = dimensions <= MAX_VECTOR ? "vector" : "halfvec";
  return {
    name,
    cast: sql.raw(`${name}(${dimensions})`),
    column: sql.raw(`(embedding::${name}(${dimensions}))`),
  };
}

/** pgvector's text form, '[x,y,...]'; 9 significant digits give a float32 back exactly. */
function vectorLiteral(row: Float32Array): string {
  const parts: string[] = [];
  for (const x of row) {
    if (!Number.isFinite(x)) throw new Error("a vector holds NaN or infinity; pgvector refuses those");
    parts.push(x === 0 ? "0" : x.toPrecision(9));
  }
  return `[${parts.join(",")}]`;
}

async function tableExists(db: SqlDatabase, table: string): Promise<boolean> {
  const { rows } = await sql<{ name: string | null }>`select to_regclass(${table})::text as name`.execute(db);
  return rows[0]?.name != null;
}
