import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import type { BuildStoreConfig } from "../../config/config.ts";
import { S3Client } from "../../net/s3-client.ts";
import type { Store } from "../../store/store.ts";
import { type EngineManifest, parseManifest } from "./engine-files.ts";

/** Bytes per stored chunk or ranged read: a few round trips per hundred MiB, and a row PostgreSQL handles comfortably. */
export const CHUNK_BYTES = 4 << 20;

/** One file of a build as its manifest lists it. */
export interface BuildFile {
  name: string;
  bytes: number;
  sha256: string;
}

/**
 * Where the worker publishes engine builds for replicas without a shared disk, and where they fetch them from
 * (`replicate.ts`): the PostgreSQL store (`postgresBuildStore`) or an S3-compatible object store
 * (`s3BuildStore`). Files are published first and the manifest naming them last, so a replica never sees a
 * build whose files are not all there; replicas check every file against the manifest's SHA-256.
 */
export interface BuildStore {
  /** For messages: "PostgreSQL" or `s3://bucket/prefix`. */
  readonly name: string;
  /** Whether `file` of `build` is stored in full (a publisher killed half way left it incomplete). */
  has(build: string, file: BuildFile): Promise<boolean>;
  /** Stores `file` of `build` from the local file at `path`; returns the bytes sent. */
  put(build: string, file: BuildFile, path: string): Promise<number>;
  /** The file's bytes, in order, a few MiB at a time. */
  read(build: string, file: BuildFile): AsyncIterable<Uint8Array>;
  /** Makes `manifest` the build replicas serve. */
  setCurrent(manifest: EngineManifest): Promise<void>;
  /** The build replicas should serve, or null before the first publication. */
  current(): Promise<EngineManifest | null>;
  /** Removes the files of every build but `keep`; returns how many chunks or objects went. */
  prune(keep: readonly string[]): Promise<number>;
}

/** Builds in the PostgreSQL store, in chunks (`store.searchBuilds`, migration 0017). */
export function postgresBuildStore(store: Store): BuildStore {
  const builds = store.searchBuilds;
  return {
    name: "PostgreSQL",
    async has(build, file) {
      const chunks = Math.max(1, Math.ceil(file.bytes / CHUNK_BYTES));
      return (await builds.chunkCount(build, file.name)) === chunks;
    },
    async put(build, file, path) {
      let bytes = 0;
      const chunks = Math.max(1, Math.ceil(file.bytes / CHUNK_BYTES));
      const fd = openSync(path, "r");
      try {
        const buffer = Buffer.alloc(CHUNK_BYTES);
        for (let seq = 0; seq < chunks; seq++) {
          const n = readSync(fd, buffer, 0, CHUNK_BYTES, seq * CHUNK_BYTES);
          await builds.putChunk(build, file.name, seq, buffer.subarray(0, n));
          bytes += n;
        }
      } finally {
        closeSync(fd);
      }
      return bytes;
    },
    read: (build, file) => builds.readChunks(build, file.name),
    async setCurrent(manifest) {
      await builds.setCurrent({
        buildId: manifest.build,
        manifestJson: JSON.stringify(manifest),
        publishedAt: new Date().toISOString(),
      });
    },
    async current() {
      const row = await builds.current();
      return row === null ? null : parseManifest(row.manifestJson);
    },
    prune: (keep) => builds.prune(keep),
  };
}

/**
 * Builds in an S3-compatible object store: each file one object, `<prefix>/builds/<build>/<file>`, with its
 * SHA-256 as metadata, and `<prefix>/current.json` (the manifest) written last. Files are read back in ranged
 * GETs of `CHUNK_BYTES`, so a dropped connection costs one range (the HTTP client retries it). A file up to
 * `partBytes` (64 MiB) goes in one PUT, a larger one in parts of that size (multipart upload), read from disk
 * one part at a time.
 */
export function s3BuildStore(
  client: S3Client,
  prefix: string,
  bucket = "",
  options: { partBytes?: number } = {},
): BuildStore {
  const partBytes = options.partBytes ?? 64 << 20;
  const root = prefix.replace(/^\/+|\/+$/g, "");
  const under = (key: string) => (root === "" ? key : `${root}/${key}`);
  const keyOf = (build: string, file: string) => under(`builds/${build}/${file}`);
  return {
    name: `s3://${bucket}${root === "" ? "" : `/${root}`}`,
    async has(build, file) {
      const head = await client.head(keyOf(build, file.name));
      return head !== null && head.bytes === file.bytes && head.metadata.sha256 === file.sha256;
    },
    async put(build, file, path) {
      const key = keyOf(build, file.name);
      if (file.bytes <= partBytes) {
        const body = readFileSync(path);
        await client.put(key, body, { sha256: file.sha256 });
        return body.byteLength;
      }
      const fd = openSync(path, "r");
      try {
        const buffer = Buffer.alloc(partBytes);
        await client.putInParts(
          key,
          file.bytes,
          partBytes,
          (start, end) => buffer.subarray(0, readSync(fd, buffer, 0, end - start, start)),
          { sha256: file.sha256 },
        );
      } finally {
        closeSync(fd);
      }
      return file.bytes;
    },
    async *read(build, file) {
      const key = keyOf(build, file.name);
      if (file.bytes === 0) {
        const whole = await client.get(key);
        if (whole === null) throw new Error(`${key} is not in the object store`);
        yield whole;
        return;
      }
      for (let start = 0; start < file.bytes; start += CHUNK_BYTES) {
        const end = Math.min(file.bytes, start + CHUNK_BYTES) - 1;
        const part = await client.get(key, { start, end });
        if (part === null) throw new Error(`${key} is not in the object store`);
        yield part;
        if (part.byteLength < end - start + 1) return;
      }
    },
    async setCurrent(manifest) {
      await client.put(under("current.json"), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    },
    async current() {
      const body = await client.get(under("current.json"));
      return body === null ? null : parseManifest(Buffer.from(body).toString("utf8"));
    },
    async prune(keep) {
      let removed = 0;
      const builds = under("builds/");
      for await (const object of client.list(builds)) {
        const build = object.key.slice(builds.length).split("/")[0] ?? "";
        if (keep.includes(build)) continue;
        await client.delete(object.key);
        removed++;
      }
      return removed;
    },
  };
}

/**
 * The build store the configuration names (config.search.buildStore): an object store, or with the default
 * the PostgreSQL store when that is the database (null on SQLite: one machine needs no publication).
 */
export function createBuildStore(config: BuildStoreConfig | undefined, store: Store): BuildStore | null {
  if (config?.kind === "s3") {
    const client = new S3Client(config);
    return s3BuildStore(client, config.prefix, config.bucket);
  }
  return store.dialect === "postgres" ? postgresBuildStore(store) : null;
}
