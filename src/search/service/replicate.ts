import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describeError } from "../../core/index.ts";
import type { Logger } from "../../log.ts";
import type { BuildFile, BuildStore } from "./build-store.ts";
import type { EngineFiles, EngineManifest } from "./engine-files.ts";

/** The files of a build a replica needs (the engine and companions, and the delta), with their checksums. */
function filesOf(manifest: EngineManifest): BuildFile[] {
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
 * Publishes the current build (and its delta) into the build store (PostgreSQL or an object store, see
 * `build-store.ts`), for replicas without a shared disk: each file (files already there in full are skipped,
 * so a delta update sends only the delta, and a publisher killed half way resumes), then the manifest as the
 * current build. Files of builds other than this one and the previous are removed. Only builds that record
 * checksums are published (replicas verify every file).
 */
export async function publishBuild(
  builds: BuildStore,
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
    if (await builds.has(manifest.build, file)) continue;
    bytes += await builds.put(manifest.build, file, join(folder, file.name));
    published++;
  }
  const previous = await builds.current().catch(() => null);
  await builds.setCurrent(manifest);
  await builds.prune([manifest.build, previous?.build ?? manifest.build]);
  if (published > 0)
    logger.info("search engine build published", {
      to: builds.name,
      build: manifest.build,
      files: published,
      bytes,
    });
  return { published, bytes };
}

/**
 * A replica's side: when the build store's current build (or its delta) is not the one in this data directory,
 * downloads the missing files into a temporary folder, checks each against its SHA-256, moves them into
 * place and installs the manifest (atomically), so the live engine loads it as it loads a local build.
 * Returns what it did; never serves anything half downloaded.
 */
export async function fetchPublishedBuild(
  builds: BuildStore,
  files: EngineFiles,
  logger: Logger,
): Promise<"none" | "current" | "fetched"> {
  const manifest = await builds.current();
  if (manifest === null) return "none";
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
        for await (const chunk of builds.read(manifest.build, file)) {
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
    logger.info("search engine build fetched", {
      from: builds.name,
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
