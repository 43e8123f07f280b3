import assert from "node:assert/strict";
import { silentLogger } from "../../src/log.ts";
import { buildSearchEngine } from "../../src/search/service/build.ts";
import type { EngineFiles, EngineManifest } from "../../src/search/service/engine-files.ts";
import { type SearchService, updateEngine } from "../../src/search/service/index.ts";
import type { Store } from "../../src/store/store.ts";
import { TEST_ENGINE } from "./search-papers.ts";

/**
 * The worker's engine update on `files` (a delta when it can, the full build with `TEST_ENGINE` when it must
 * or when `force`d), as the replica tests' publishing side runs it.
 */
export function workerUpdate(store: Store, files: EngineFiles, force = false) {
  return updateEngine({
    store,
    files,
    embedderName: "corpus",
    rebuildGrowth: 100,
    logger: silentLogger,
    force,
    build: () =>
      buildSearchEngine({ store, files, embedderName: "corpus", engine: TEST_ENGINE, logger: silentLogger }),
  });
}

/** Waits (at most 15 s) until `service` searches with `manifest`'s build and delta. */
export async function servingNow(service: SearchService, manifest: EngineManifest): Promise<void> {
  for (let i = 0; i < 150; i++) {
    await service.search({ q: "protein", mode: "keyword", spelling: "off" });
    const serving = (await service.status()).serving;
    if (serving?.build === manifest.build && serving.delta === (manifest.delta?.file ?? null)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail("the replica did not fetch and swap in the published build");
}
