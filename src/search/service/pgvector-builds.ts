import type { VectorIndexChoice } from "../../config/config.ts";
import { describeError } from "../../core/index.ts";
import type { Logger } from "../../log.ts";
import { KyselyStore } from "../../store/kysely-store.ts";
import type { Store } from "../../store/store.ts";
import type { SearchEngine } from "../engine.ts";
import { PgVectorIndex, type PublishProgress, type SqlDatabase } from "../vector/pgvector-index.ts";
import { ABANDONED_AFTER_MS, type EngineFiles, type EngineManifest } from "./engine-files.ts";

/**
 * The service's side of pgvector: whether a build puts its nearest-neighbour index in PostgreSQL, publishing
 * its vectors there before the manifest names it, attaching them when the build is loaded, and removing the
 * rows of builds whose folders were pruned.
 */

/** The store's database when the store is on PostgreSQL, else null. */
export function postgresOf(store: Store): SqlDatabase | null {
  return store instanceof KyselyStore && store.dialect === "postgres" ? store.db : null;
}

/**
 * Whether a build of a library large enough for an approximate index uses pgvector (`true`) or usearch.
 * `pgvector` asked for on SQLite, or on a server without the extension, is an error naming the fix; `auto`
 * quietly takes usearch then, and also when the extension exists but cannot be created (logged).
 */
export async function usePgVector(choice: VectorIndexChoice, store: Store, logger: Logger): Promise<boolean> {
  if (choice === "usearch") return false;
  const db = postgresOf(store);
  if (db === null) {
    if (choice === "auto") return false;
    throw new Error(
      "PAPERBOY_VECTOR_INDEX=pgvector needs a PostgreSQL store (PAPERBOY_DB is a SQLite file): " +
        "set PAPERBOY_VECTOR_INDEX=usearch or auto",
    );
  }
  if (choice === "pgvector") {
    await PgVectorIndex.ensure(db);
    return true;
  }
  if (!(await PgVectorIndex.available(db))) return false;
  try {
    await PgVectorIndex.ensure(db);
    return true;
  } catch (error) {
    logger.warn("pgvector is installed on the PostgreSQL server but cannot be used; using usearch", {
      error: describeError(error),
    });
    return false;
  }
}

/**
 * Publishes the engine's vectors under `build`. A failure removes what was written (best effort; a later
 * publish under another name or `prunePgVectorBuilds` cleans up otherwise) and is rethrown.
 */
export async function publishPgVectors(
  store: Store,
  build: string,
  engine: SearchEngine,
  logger: Logger,
  onProgress?: (progress: PublishProgress) => void,
): Promise<void> {
  const db = requirePostgres(store, build);
  const started = performance.now();
  try {
    await PgVectorIndex.publish(db, build, engine.vectors, onProgress);
  } catch (error) {
    await PgVectorIndex.drop(db, build).catch((dropError: unknown) =>
      logger.warn("could not remove a half-published pgvector build", {
        build,
        error: describeError(dropError),
      }),
    );
    if ((error as Error).name === "AbortError") throw error;
    throw new Error(`publishing the vectors to PostgreSQL (pgvector) failed: ${describeError(error)}`);
  }
  logger.info("vectors published to pgvector", {
    build,
    docs: engine.size,
    ms: Math.round(performance.now() - started),
  });
}

/** The loaded engine, searching through its build's pgvector index when the manifest says it has one. */
export async function attachPgVectors(
  store: Store,
  engine: SearchEngine,
  manifest: EngineManifest,
): Promise<SearchEngine> {
  if (manifest.ann !== "pgvector") return engine;
  const db = requirePostgres(store, manifest.build);
  return engine.withAnn(await PgVectorIndex.open(db, manifest.build, engine.vectors.dimensions, engine.size));
}

/**
 * Drops the pgvector rows of builds that are gone from the search folder: finished ones (pruned by
 * `EngineFiles`, which keeps the current and the previous build) and unfinished ones old enough to belong to
 * a builder that died. An unfinished recent one may be another builder's publish in progress and is left.
 */
export async function prunePgVectorBuilds(store: Store, files: EngineFiles, logger: Logger): Promise<void> {
  const db = postgresOf(store);
  if (db === null) return;
  const current = files.readManifest();
  const keep = current.kind === "ok" ? current.manifest.build : "";
  try {
    for (const { build, complete, startedAt } of await PgVectorIndex.builds(db)) {
      if (build === keep || files.hasBuild(build)) continue;
      if (!complete && Date.now() - startedAt.getTime() < ABANDONED_AFTER_MS) continue;
      await PgVectorIndex.drop(db, build);
      logger.info("old pgvector build dropped", { build });
    }
  } catch (error) {
    // Only space is lost; the next build prunes again.
    logger.warn("could not drop old pgvector builds", { error: describeError(error) });
  }
}

/**
 * Why the build's pgvector index cannot serve (for `usableManifest`: the worker then rebuilds and status
 * says why), or null when it can or the build has none.
 */
export async function pgVectorProblem(store: Store, manifest: EngineManifest): Promise<string | null> {
  if (manifest.ann !== "pgvector") return null;
  const db = postgresOf(store);
  if (db === null)
    return "the search engine keeps its vectors in PostgreSQL (pgvector), but the store is not PostgreSQL";
  const row = await PgVectorIndex.published(db, manifest.build);
  if (row === null || !row.complete)
    return "the search engine's vectors are missing from PostgreSQL (pgvector)";
  if (row.size !== manifest.papers) {
    return `PostgreSQL holds ${row.size} vectors for the search engine's ${manifest.papers} papers (pgvector)`;
  }
  return null;
}

function requirePostgres(store: Store, build: string): SqlDatabase {
  const db = postgresOf(store);
  if (db === null) {
    throw new Error(
      `search engine build ${build} keeps its vectors in PostgreSQL (pgvector), but the store is not ` +
        "PostgreSQL: rebuild the search engine (paperboy embed --rebuild)",
    );
  }
  return db;
}
