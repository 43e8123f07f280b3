import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describeError, toTimestamp } from "../../core/index.ts";
import type { Logger } from "../../log.ts";
import type { Store } from "../../store/store.ts";
import type { EngineFiles, EngineManifest } from "./engine-files.ts";

/** Bytes per stored chunk: a few round trips per hundred MiB, and a row PostgreSQL handles comfortably. */
export const CHUNK_BYTES = 4 << 20;

/** The files of a build a replica needs (the engine and companions, and the delta), with their checksums. */
function filesOf(manifest: EngineManifest): { name: string; bytes: number; sha256: string }[] {
  const out = Object.entries(manifest.files).map(([name, bytes]) => ({
    name,
    bytes,
    sha256: manifest.sha256?.[name] ?? "",
  }));
  if (manifest.delta)
    out.push({ name: manifest.delta.file, bytes: manifest.delta.bytes, sha256: manifest.delta.sha256 });
  return out;
}

/**
 * Publishes the current build (and its delta) into the store, for replicas without a shared disk: each file in
 * chunks (files already there in full are skipped, so a delta update sends only the delta, and a publisher
 * killed half way resumes), then the manifest as the current build. Chunks of builds other than this one and
 * the previous are removed. Only builds that record checksums are published (replicas verify every file).
 */
export async function publishBuild(
  store: Store,
  files: EngineFiles,
  manifest: EngineManifest,
  logger: Logger,
): Promise<{ published: number; bytes: number }> {
  if (manifest.sha256 === undefined)
    throw new Error("the build records no checksums; rebuild it to publish it");
  let published = 0;
  let bytes = 0;
  const folder = join(files.dir, manifest.build);
  for (const file of filesOf(manifest)) {
    const chunks = Math.max(1, Math.ceil(file.bytes / CHUNK_BYTES));
    if ((await store.searchBuilds.chunkCount(manifest.build, file.name)) === chunks) continue;
    const fd = openSync(join(folder, file.name), "r");
    try {
      const buffer = Buffer.alloc(CHUNK_BYTES);
      for (let seq = 0; seq < chunks; seq++) {
        const n = readSync(fd, buffer, 0, CHUNK_BYTES, seq * CHUNK_BYTES);
        await store.searchBuilds.putChunk(manifest.build, file.name, seq, buffer.subarray(0, n));
        bytes += n;
      }
    } finally {
      closeSync(fd);
    }
    published++;
  }
  const previous = await store.searchBuilds.current();
  await store.searchBuilds.setCurrent({
    buildId: manifest.build,
    manifestJson: JSON.stringify(manifest),
    publishedAt: toTimestamp(new Date()),
  });
  await store.searchBuilds.prune([manifest.build, previous?.buildId ?? manifest.build]);
  if (published > 0)
    logger.info("search engine build published", { build: manifest.build, files: published, bytes });
  return { published, bytes };
}

/**
 * A replica's side: when the store's current build (or its delta) is not the one in this data directory,
 * downloads the missing files into a temporary folder, checks each against its SHA-256, moves them into
 * place and installs the manifest (atomically), so the live engine loads it as it loads a local build.
 * Returns what it did; never serves anything half downloaded.
 */
export async function fetchPublishedBuild(
  store: Store,
  files: EngineFiles,
  logger: Logger,
): Promise<"none" | "current" | "fetched"> {
  const published = await store.searchBuilds.current();
  if (published === null) return "none";
  const manifest = JSON.parse(published.manifestJson) as EngineManifest;
  const local = files.readManifest();
  if (
    local.kind === "ok" &&
    local.manifest.build === manifest.build &&
    local.manifest.delta?.file === manifest.delta?.file
  ) {
    return "current";
  }
  mkdirSync(files.dir, { recursive: true });
  const folder = join(files.dir, manifest.build);
  const temp = join(files.dir, `.tmp-fetch-${process.pid}-${randomBytes(4).toString("hex")}`);
  mkdirSync(temp);
  try {
    const wanted = filesOf(manifest).filter((f) => !existsSync(join(folder, f.name)));
    for (const file of wanted) {
      const hash = createHash("sha256");
      const fd = openSync(join(temp, file.name), "w");
      let size = 0;
      try {
        for await (const chunk of store.searchBuilds.readChunks(manifest.build, file.name)) {
          hash.update(chunk);
          writeSync(fd, chunk);
          size += chunk.byteLength;
        }
      } finally {
        closeSync(fd);
      }
      if (size !== file.bytes || hash.digest("hex") !== file.sha256) {
        throw new Error(`the published ${file.name} of ${manifest.build} does not match its checksum`);
      }
    }
    mkdirSync(folder, { recursive: true });
    for (const file of wanted) renameSync(join(temp, file.name), join(folder, file.name));
    files.installManifest(manifest);
    logger.info("search engine build fetched from the store", {
      build: manifest.build,
      files: wanted.length,
    });
    return "fetched";
  } catch (error) {
    logger.warn("could not fetch the published search engine build", { error: describeError(error) });
    throw error;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
