import { randomUUID } from "node:crypto";
import type { IsoTimestamp } from "../../core/index.ts";
import type { Store } from "../../store/store.ts";

/**
 * The search engine keeps its bookkeeping in the store's source state under this name, like a sync: when it
 * was last built, the last build error (so `paperboy status` shows a failing rebuild), and in its cursor the
 * store's identity. That identity, a random id made on the first build, is written into every engine
 * manifest: an engine file copied from another database, or left from a database that was replaced, carries a
 * different id (or the store has none yet) and is never used.
 */
export const ENGINE_STATE = "search-engine";

interface EngineCursor {
  storeId: string;
}

function cursorOf(value: unknown): EngineCursor | null {
  if (typeof value !== "object" || value === null) return null;
  const storeId = (value as Record<string, unknown>).storeId;
  return typeof storeId === "string" && storeId !== "" ? { storeId } : null;
}

/** The store's identity, or null before the first engine build. */
export async function readStoreId(store: Store): Promise<string | null> {
  const state = await store.getSourceState(ENGINE_STATE);
  return cursorOf(state?.cursor)?.storeId ?? null;
}

/** The store's identity, made and saved on first use. */
export async function ensureStoreId(store: Store): Promise<string> {
  const existing = await readStoreId(store);
  if (existing !== null) return existing;
  await store.updateSourceState(ENGINE_STATE, { cursor: { storeId: randomUUID() } satisfies EngineCursor });
  // Read back: when two builders race, both end up with whichever id was written last.
  const saved = await readStoreId(store);
  if (saved === null) throw new Error("could not save the search engine's store identity");
  return saved;
}

/** Records a finished build (shown by `paperboy status` as the `search-engine` source). */
export async function recordBuild(
  store: Store,
  storeId: string,
  build: {
    startedAt: IsoTimestamp;
    finishedAt: IsoTimestamp;
    papers: number;
    newestPublishedAt: string | null;
  },
): Promise<void> {
  await store.updateSourceState(
    ENGINE_STATE,
    {
      attemptAt: build.startedAt,
      successAt: build.finishedAt,
      newestItemAt: build.newestPublishedAt as IsoTimestamp | null,
      cursor: { storeId } satisfies EngineCursor,
    },
    build.finishedAt,
  );
}

/** Records a failed build, keeping the identity. */
export async function recordBuildError(store: Store, startedAt: IsoTimestamp, error: string): Promise<void> {
  await store.updateSourceState(ENGINE_STATE, { attemptAt: startedAt, error }, startedAt);
}
