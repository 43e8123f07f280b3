import { totalmem } from "node:os";
import { Worker } from "node:worker_threads";
import type { DatabaseConfig, SearchConfig } from "../../config/config.ts";
import type { LogFields, Logger } from "../../log.ts";
import type { EngineOptions } from "../engine.ts";
import type { BuildProgress } from "./build.ts";
import type { EngineManifest } from "./engine-files.ts";

/** What a build thread needs to do the whole build on its own: all of it plain data (structured clone). */
export interface ThreadBuildRequest {
  /** The store to read the papers from; the thread opens its own connection. */
  database: DatabaseConfig;
  /** config.dataDir: the build is written under `<dataDir>/search/`. */
  dataDir: string;
  /** config.search: the embedder and how the build is made. */
  search: SearchConfig;
  /** Engine options beyond the configuration (training sizes in tests); plain data only. */
  engine?: Omit<EngineOptions, "embedder" | "logger">;
}

/** Messages from the build thread. */
export type ThreadMessage =
  | { kind: "log"; level: "debug" | "info" | "warn" | "error"; message: string; fields?: LogFields }
  | { kind: "progress"; progress: BuildProgress }
  | { kind: "done"; manifest: EngineManifest }
  | { kind: "failed"; message: string };

export interface ThreadBuildHooks {
  logger: Logger;
  /** Aborting stops the thread; the current engine stays in place (nothing is swapped before the end). */
  signal?: AbortSignal;
  onProgress?: (progress: BuildProgress) => void;
}

/**
 * Runs `buildSearchEngine` in a worker thread. Building is CPU work of minutes for a large library (tokenising,
 * training the corpus embedder, embedding, the HNSW graph) and much of it is synchronous; on the worker's own
 * thread it would stall the event loop, so job leases would not be renewed (another worker would take the job
 * over and build the same engine again) and no other job could start. The thread opens its own store
 * connection, builds, writes the files and swaps the manifest exactly as an in-process build does; log lines
 * and progress come back as messages; the thread's heap may grow past V8's default (`buildHeapMb`). Resolves
 * with the new manifest, rejects with the build's error. The worker's job and `paperboy embed --rebuild` both
 * build this way.
 */
export function buildInThread(request: ThreadBuildRequest, hooks: ThreadBuildHooks): Promise<EngineManifest> {
  const { logger, signal } = hooks;
  signal?.throwIfAborted();
  const worker = new Worker(new URL("./build-thread-boot.mjs", import.meta.url), {
    workerData: request,
    resourceLimits: { maxOldGenerationSizeMb: buildHeapMb() },
  });
  return new Promise<EngineManifest>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      outcome();
    };
    const onAbort = () => {
      finish(() => reject(signal?.reason ?? new Error("the search engine build was stopped")));
      void worker.terminate();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.on("message", (message: ThreadMessage) => {
      switch (message.kind) {
        case "log":
          logger[message.level](message.message, message.fields);
          break;
        case "progress":
          hooks.onProgress?.(message.progress);
          break;
        case "done":
          finish(() => resolve(message.manifest));
          break;
        case "failed":
          finish(() => reject(new Error(message.message)));
          break;
      }
    });
    worker.on("error", (error) => finish(() => reject(error)));
    worker.on("exit", (code) =>
      finish(() =>
        reject(new Error(`the search engine build thread exited (code ${code}) before finishing`)),
      ),
    );
  });
}

/**
 * The build thread's JavaScript heap: three quarters of the machine's memory. V8's default (about 4 GiB here,
 * whatever the machine has) is too small for the text of a million papers with the index being built: such a
 * build ran out of heap after its keyword index.
 */
export function buildHeapMb(): number {
  return Math.max(2_048, Math.floor((totalmem() * 0.75) / 2 ** 20));
}
