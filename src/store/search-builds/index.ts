import type { Migration } from "kysely";
import type { RepoContext } from "../repo.ts";
import { searchBuildsMigration } from "./migration.ts";

export type { SearchBuildsTables } from "./tables.ts";

export const searchBuildsMigrations: Record<string, Migration> = {
  "0017_search_builds": searchBuildsMigration,
};

export interface PublishedBuild {
  buildId: string;
  /** The build's manifest (search/service/engine-files.ts), as JSON. */
  manifestJson: string;
  publishedAt: string;
}

/**
 * Search engine builds kept in the database (`store.searchBuilds`), so replicas without a shared disk can
 * fetch the current one (search/service/replicate.ts), and the papers changed since a time (what a search
 * delta indexes), read through an index instead of a scan of every paper.
 */
export interface SearchBuilds {
  /** Stores chunk `seq` of a build's file (replacing one a publisher killed half way left). */
  putChunk(buildId: string, file: string, seq: number, bytes: Uint8Array): Promise<void>;
  /** How many chunks of the file are stored. */
  chunkCount(buildId: string, file: string): Promise<number>;
  /** The file's chunks in order, one round trip each (a chunk is a few MiB). */
  readChunks(buildId: string, file: string): AsyncIterable<Uint8Array>;
  /** Makes `buildId` the one replicas serve. */
  setCurrent(build: PublishedBuild): Promise<void>;
  current(): Promise<PublishedBuild | null>;
  /** Removes the chunks of every build but `keep`. */
  prune(keep: readonly string[]): Promise<number>;
  /** Every withdrawn paper's id (few: a partial index, migration 0018), which the search delta masks. */
  withdrawn(): Promise<string[]>;
  /** Papers updated after `since` (ISO time), oldest first, after the (time, id) `after`; at most `limit`. */
  changedSince(
    since: string,
    limit: number,
    after?: { updatedAt: string; id: string },
  ): Promise<{ id: string; updatedAt: string }[]>;
}

export function createSearchBuilds(ctx: RepoContext): SearchBuilds {
  const { db } = ctx;
  return {
    async putChunk(buildId, file, seq, bytes) {
      await db
        .insertInto("search_build_chunks")
        .values({
          build_id: buildId,
          file,
          seq,
          bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        })
        .onConflict((oc) =>
          oc.columns(["build_id", "file", "seq"]).doUpdateSet((eb) => ({ bytes: eb.ref("excluded.bytes") })),
        )
        .execute();
    },
    async chunkCount(buildId, file) {
      const row = await db
        .selectFrom("search_build_chunks")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("build_id", "=", buildId)
        .where("file", "=", file)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async *readChunks(buildId, file) {
      for (let seq = 0; ; seq++) {
        const row = await db
          .selectFrom("search_build_chunks")
          .select("bytes")
          .where("build_id", "=", buildId)
          .where("file", "=", file)
          .where("seq", "=", seq)
          .executeTakeFirst();
        if (row === undefined) return;
        yield row.bytes;
      }
    },
    async setCurrent(build) {
      await db
        .insertInto("search_build_current")
        .values({
          slot: 1,
          build_id: build.buildId,
          manifest_json: build.manifestJson,
          published_at: build.publishedAt,
        })
        .onConflict((oc) =>
          oc.column("slot").doUpdateSet({
            build_id: build.buildId,
            manifest_json: build.manifestJson,
            published_at: build.publishedAt,
          }),
        )
        .execute();
    },
    async current() {
      const row = await db
        .selectFrom("search_build_current")
        .selectAll()
        .where("slot", "=", 1)
        .executeTakeFirst();
      return row
        ? { buildId: row.build_id, manifestJson: row.manifest_json, publishedAt: row.published_at }
        : null;
    },
    async prune(keep) {
      let q = db.deleteFrom("search_build_chunks");
      if (keep.length > 0) q = q.where("build_id", "not in", [...keep]);
      const result = await q.executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async withdrawn() {
      const rows = await db
        .selectFrom("papers")
        .select("arxiv_id")
        .where("withdrawn_at", "is not", null)
        .orderBy("arxiv_id")
        .execute();
      return rows.map((r) => r.arxiv_id);
    },
    async changedSince(since, limit, after) {
      let q = db
        .selectFrom("papers")
        .select(["arxiv_id", "last_updated_at"])
        .where("last_updated_at", ">", since)
        .orderBy("last_updated_at")
        .orderBy("arxiv_id")
        .limit(limit);
      if (after) {
        q = q.where((eb) =>
          eb.or([
            eb("last_updated_at", ">", after.updatedAt),
            eb.and([eb("last_updated_at", "=", after.updatedAt), eb("arxiv_id", ">", after.id)]),
          ]),
        );
      }
      const rows = await q.execute();
      return rows.map((r) => ({ id: r.arxiv_id, updatedAt: r.last_updated_at }));
    },
  };
}
