import { randomBytes } from "node:crypto";
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
});

export type EngineManifest = z.infer<typeof manifestSchema>;

/** What the caller knows about a build; the files and the folder are filled in by `write`. */
export type BuildInfo = Omit<EngineManifest, "format" | "build" | "files">;

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
      for (const name of readdirSync(temp)) files[name] = statSync(join(temp, name)).size;
      const build = `${BUILD_PREFIX}${info.builtAt.replace(/[^0-9]/g, "").slice(0, 17)}-${suffix}`;
      await publish?.(build);
      renameSync(temp, join(this.dir, build));
      const manifest: EngineManifest = { format: ENGINE_FORMAT, build, files, ...info };
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
