import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { describeError } from "../../core/index.ts";
import type { Logger } from "../../log.ts";
import type { SearchEngine } from "../engine.ts";
import { loadEngine, saveEngine } from "../persist/engine-file.ts";
import type { Embedder } from "../vector/embedder.ts";

/** The engine file inside a build folder; the engine may write companion files beside it (an ANN index). */
export const ENGINE_FILE = "engine.pbs";
const MANIFEST = "manifest.json";
const BUILD_PREFIX = "build-";
const TEMP_PREFIX = ".tmp-";
/** A temporary build folder untouched for this long belongs to a builder that died. */
export const ABANDONED_AFTER_MS = 6 * 3_600_000;
/**
 * A build folder written this recently may belong to another builder about to name it in the manifest (two
 * workers rebuilding at once); it is left for the next prune.
 */
const SETTLED_AFTER_MS = 60_000;

/**
 * Version of the engine files; a build of another version is not read (it is rebuilt). 2: the keyword index
 * keeps exact word forms beside stems.
 */
export const ENGINE_FORMAT = 2;

const manifestSchema = z.object({
  format: z.literal(ENGINE_FORMAT, {
    message: `is from another version of the engine files (this version reads ${ENGINE_FORMAT}); rebuild`,
  }),
  /** The database the engine was built from (see store-identity.ts): a file from another one is not used. */
  storeId: z.string().min(1),
  /** The build folder, relative to the search folder. */
  build: z.string().regex(/^build-[A-Za-z0-9-]+$/),
  papers: z.number().int().min(0),
  builtAt: z.string().min(1),
  /** Which embedder made the vectors (`corpus`, `onnx:<model>`, `openai:<url>#<model>`). */
  embedder: z.string().min(1),
  /** Publication time of the newest paper the engine knows. */
  newestPublishedAt: z.string().nullable(),
  /** Every file of the build with its size in bytes, to notice a truncated or missing file cheaply. */
  files: z.record(z.string(), z.number().int().min(0)),
  buildMs: z.number().min(0),
  /**
   * "pgvector" when the build's nearest-neighbour index is in the PostgreSQL store, under the build's name
   * (see pgvector-builds.ts); absent for the exact search and for a usearch graph among the files.
   */
  ann: z.literal("pgvector").optional(),
  /** SHA-256 (hex) of every file of the build: a corrupt or truncated file is found before it is served. */
  sha256: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)).optional(),
  /** When the build started reading the store: papers updated later belong to the delta. */
  highWater: z.string().optional(),
  /** The delta segment over papers stored since (see delta.ts), a file in the build folder. */
  delta: z
    .object({
      file: z.string().regex(/^delta-[A-Za-z0-9-]+\.pbd$/),
      bytes: z.number().int().min(0),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      /** Papers in the delta (new and changed) and base papers it masks (changed, hidden). */
      papers: z.number().int().min(0),
      deleted: z.number().int().min(0),
      /** When the delta started reading the store (its own high-water mark). */
      highWater: z.string(),
      /**
       * The corpus embedder's drift against the delta's papers (service/drift.ts): the mean share of their
       * words' tf-idf weight it does not know. Absent for served embedders.
       */
      drift: z.number().min(0).max(1).optional(),
      /** The papers the drift was measured on: those stored after the base build started. */
      driftPapers: z.number().int().min(0).optional(),
      builtAt: z.string(),
    })
    .optional(),
});

export type EngineManifest = z.infer<typeof manifestSchema>;

/**
 * A manifest read from elsewhere (a build store), checked as a local one is: file and build names that would
 * leave the search folder, or another format, are refused. Throws with the first problem.
 */
export function parseManifest(json: string): EngineManifest {
  const parsed = manifestSchema.safeParse(JSON.parse(json));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `the published manifest: ${issue?.path.join(".") || "manifest"} ${issue?.message ?? "is invalid"}`,
    );
  }
  for (const name of Object.keys(parsed.data.files)) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
      throw new Error(`the published manifest names a file "${name}"`);
  }
  return parsed.data;
}

/** What the caller knows about a build; the files and the folder are filled in by `write`. */
export type BuildInfo = Omit<EngineManifest, "format" | "build" | "files" | "sha256" | "delta">;

export type DeltaEntry = NonNullable<EngineManifest["delta"]>;

/** Files whose checksum matched, by path, size, time and inode: not read again while those hold. */
const checked = new Map<string, string>();

/** SHA-256 (hex) of a file, read in chunks (files of several GiB included). */
export function sha256File(path: string): string {
  const hash = createHash("sha256");
  const buffer = Buffer.alloc(1 << 22);
  const fd = openSync(path, "r");
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

export type ManifestRead =
  | { kind: "missing" }
  | { kind: "invalid"; reason: string }
  | { kind: "ok"; manifest: EngineManifest };

/**
 * The search engine's files under `<dataDir>/search/`:
 *
 *   manifest.json          the current build (replaced by an atomic rename)
 *   build-<time>-<rand>/   one folder per build: engine.pbs and any companion files
 *   .tmp-<pid>-<rand>/     a build being written; renamed to build-* once complete
 *
 * A reader that read the manifest just before a swap still finds its build: the previous build is kept until
 * the next one replaces it.
 */
export class EngineFiles {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, "search");
  }

  get manifestPath(): string {
    return join(this.dir, MANIFEST);
  }

  enginePath(manifest: EngineManifest): string {
    return join(this.dir, manifest.build, ENGINE_FILE);
  }

  /** A cheap fingerprint of the manifest file (changes whenever a build is swapped in), or null without one. */
  manifestStamp(): string | null {
    try {
      const s = statSync(this.manifestPath);
      return `${s.mtimeMs}:${s.size}:${s.ino}`;
    } catch {
      return null;
    }
  }

  readManifest(): ManifestRead {
    let text: string;
    try {
      text = readFileSync(this.manifestPath, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
      return { kind: "invalid", reason: `cannot read ${this.manifestPath}: ${describeError(error)}` };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { kind: "invalid", reason: `${this.manifestPath} is not valid JSON` };
    }
    const parsed = manifestSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        kind: "invalid",
        reason: `${this.manifestPath}: ${issue?.path.join(".") || "manifest"} ${issue?.message ?? "is invalid"}`,
      };
    }
    return { kind: "ok", manifest: parsed.data };
  }

  /**
   * Checks, without reading them whole, that the build's files are all there with the sizes the manifest
   * recorded and that the engine file starts like one. Returns why not, or null when they look sound.
   */
  verify(manifest: EngineManifest): string | null {
    const folder = join(this.dir, manifest.build);
    if (!(ENGINE_FILE in manifest.files)) return `the manifest lists no ${ENGINE_FILE}`;
    for (const [name, size] of Object.entries(manifest.files)) {
      const path = join(folder, name);
      let actual: number;
      try {
        actual = statSync(path).size;
      } catch {
        return `${path} is missing`;
      }
      if (actual !== size) return `${path} has ${actual} bytes, the manifest says ${size}`;
    }
    const head = Buffer.alloc(4);
    const fd = openSync(join(folder, ENGINE_FILE), "r");
    try {
      readSync(fd, head, 0, 4, 0);
    } finally {
      closeSync(fd);
    }
    return head.toString("latin1") === "PBSI"
      ? null
      : `${join(folder, ENGINE_FILE)} is not a search index file`;
  }

  /**
   * Reads every file of the build (and its delta) whole and checks it against the SHA-256 the manifest
   * recorded: a corrupt file of the right size is found here. Returns why not, or null. With `cached` (the
   * worker's check on every tick), a file that matched is not read again in this process while its size,
   * times and inode are unchanged; servers check a build in full when they load it.
   */
  verifyChecksums(manifest: EngineManifest, withDelta = true, cached = false): string | null {
    const folder = join(this.dir, manifest.build);
    const expected: [string, string][] = Object.entries(manifest.sha256 ?? {});
    if (manifest.delta && withDelta) expected.push([manifest.delta.file, manifest.delta.sha256]);
    for (const [name, sum] of expected) {
      const path = join(folder, name);
      let key: string;
      let mtime: number;
      try {
        const s = statSync(path);
        key = `${path}:${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}`;
        mtime = Math.max(s.mtimeMs, s.ctimeMs);
      } catch {
        return `${path} is missing`;
      }
      if (cached && checked.get(key) === sum) continue;
      const actual = sha256File(path);
      if (actual !== sum) return `${path} does not match its checksum (corrupt or truncated)`;
      // Remembered only once the file has settled (timestamps are coarse: a write within the same tick as
      // the check would leave them equal).
      if (cached && Date.now() - mtime > 2_000) checked.set(key, sum);
    }
    return null;
  }

  /** The delta file of a build, if the manifest names one. */
  deltaPath(manifest: EngineManifest): string | null {
    return manifest.delta ? join(this.dir, manifest.build, manifest.delta.file) : null;
  }

  /**
   * Replaces the manifest with `next` (same build, another delta) atomically, unless the current manifest
   * names another build by now (a full build finished meanwhile): then nothing is written and false returned.
   */
  swapManifest(next: EngineManifest): boolean {
    const current = this.readManifest();
    if (current.kind !== "ok" || current.manifest.build !== next.build) return false;
    const pending = join(
      this.dir,
      `${TEMP_PREFIX}manifest-${process.pid}-${randomBytes(4).toString("hex")}.json`,
    );
    writeFileSync(pending, `${JSON.stringify(next, null, 2)}\n`);
    renameSync(pending, this.manifestPath);
    return true;
  }

  /** Makes `manifest` current (atomically), whatever build is current now: a replica installing a fetched build. */
  installManifest(manifest: EngineManifest): void {
    mkdirSync(this.dir, { recursive: true });
    const pending = join(
      this.dir,
      `${TEMP_PREFIX}manifest-${process.pid}-${randomBytes(4).toString("hex")}.json`,
    );
    writeFileSync(pending, `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(pending, this.manifestPath);
  }

  /**
   * A fresh name for a build's scratch file in the search folder (the folder is created): the caller removes
   * the file; one left by a builder that died is pruned like a temporary build folder.
   */
  scratchPath(what: string): string {
    mkdirSync(this.dir, { recursive: true });
    return join(this.dir, `${TEMP_PREFIX}${what}-${process.pid}-${randomBytes(4).toString("hex")}`);
  }

  /** Loads the build the manifest names; a custom embedder must be the one that built it. */
  load(manifest: EngineManifest, embedder?: Embedder): SearchEngine {
    return loadEngine(this.enginePath(manifest), embedder ? { embedder } : {});
  }

  /**
   * Saves `engine` as a new build and makes it current: written into a temporary folder, renamed into place
   * when complete, then named by a manifest that replaces the old one atomically. Older builds except the
   * previous one are removed.
   *
   * `publish`, when given, runs once the files are written, with the build's name, before the folder gets
   * that name and the manifest names it (pgvector rows): a prune by another builder never takes a folder
   * still being published, and when it throws nothing is swapped.
   */
  async write(
    engine: SearchEngine,
    info: BuildInfo,
    logger?: Logger,
    publish?: (build: string) => Promise<void>,
  ): Promise<EngineManifest> {
    mkdirSync(this.dir, { recursive: true });
    const suffix = randomBytes(4).toString("hex");
    const temp = join(this.dir, `${TEMP_PREFIX}${process.pid}-${suffix}`);
    mkdirSync(temp);
    try {
      saveEngine(engine, join(temp, ENGINE_FILE));
      const files: Record<string, number> = {};
      const sha256: Record<string, string> = {};
      for (const name of readdirSync(temp)) {
        files[name] = statSync(join(temp, name)).size;
        sha256[name] = sha256File(join(temp, name));
      }
      const build = `${BUILD_PREFIX}${info.builtAt.replace(/[^0-9]/g, "").slice(0, 17)}-${suffix}`;
      await publish?.(build);
      renameSync(temp, join(this.dir, build));
      const manifest: EngineManifest = { format: ENGINE_FORMAT, build, files, sha256, ...info };
      const pending = join(this.dir, `${TEMP_PREFIX}manifest-${process.pid}-${suffix}.json`);
      writeFileSync(pending, `${JSON.stringify(manifest, null, 2)}\n`);
      const previous = this.readManifest();
      renameSync(pending, this.manifestPath);
      this.prune([build, previous.kind === "ok" ? previous.manifest.build : ""], logger);
      return manifest;
    } catch (error) {
      rmSync(temp, { recursive: true, force: true });
      throw error;
    }
  }

  /** Removes builds other than `keep` and temporary folders left by builders that died. */
  private prune(keep: readonly string[], logger?: Logger): void {
    const now = Date.now();
    for (const name of readdirSync(this.dir)) {
      const path = join(this.dir, name);
      const stale =
        (name.startsWith(BUILD_PREFIX) &&
          !keep.includes(name) &&
          now - statSync(path).mtimeMs > SETTLED_AFTER_MS) ||
        (name.startsWith(TEMP_PREFIX) && now - statSync(path).mtimeMs > ABANDONED_AFTER_MS);
      if (!stale) continue;
      try {
        rmSync(path, { recursive: true, force: true });
      } catch (error) {
        logger?.warn("could not remove an old search engine build", { path, error: describeError(error) });
      }
    }
  }

  /** Whether a build's folder exists (it is removed when the build is pruned). */
  hasBuild(build: string): boolean {
    return existsSync(join(this.dir, build));
  }

  /** Whether there is anything at all in the search folder (for messages). */
  exists(): boolean {
    return existsSync(this.manifestPath);
  }
}
