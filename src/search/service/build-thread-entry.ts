/**
 * The build thread's body (started by `buildInThread` through build-thread-boot.mjs): opens its own store
 * connection, builds the search engine with `buildSearchEngine` and reports back. Everything it says goes to the
 * parent as messages; it never writes to the console.
 */
import { parentPort, threadId, workerData } from "node:worker_threads";
import { describeError } from "../../core/index.ts";
import type { LogFields, Logger } from "../../log.ts";
import { openStore } from "../../store/open.ts";
import { createEmbedder, describeEmbedder } from "../vector/create-embedder.ts";
import { buildSearchEngine } from "./build.ts";
import type { ThreadBuildRequest, ThreadMessage } from "./build-thread.ts";
import { EngineFiles } from "./engine-files.ts";

const port = parentPort;
if (port === null) throw new Error("build-thread-entry.ts runs only as a worker thread");
const send = (message: ThreadMessage) => port.postMessage(message);
const at =
  (level: "debug" | "info" | "warn" | "error") =>
  (message: string, fields?: LogFields): void =>
    send({ kind: "log", level, message, fields });
const logger: Logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };

const request = workerData as ThreadBuildRequest;
logger.info("search engine build thread started", { thread: threadId });
try {
  // The parent opened (and migrated) the store already; the thread only reads papers and records the build.
  const store = await openStore(request.database, { migrate: false, logger });
  try {
    const manifest = await buildSearchEngine({
      store,
      files: new EngineFiles(request.dataDir),
      embedderName: describeEmbedder(request.search.embedder),
      embedder: await createEmbedder(request.search.embedder, { dataDir: request.dataDir, logger }),
      engine: request.engine,
      vectorIndex: request.search.vectorIndex,
      logger,
      onProgress: (progress) => send({ kind: "progress", progress }),
    });
    send({ kind: "done", manifest });
  } finally {
    await store.close();
  }
} catch (error) {
  send({ kind: "failed", message: describeError(error) });
}
