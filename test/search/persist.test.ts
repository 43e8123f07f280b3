import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { SearchEngine } from "../../src/search/engine.ts";
import { loadEngine, saveEngine } from "../../src/search/persist/engine-file.ts";
import { SMALL_CORPUS } from "./fixtures.ts";

describe("engine save and load", () => {
  const dir = mkdtempSync(join(tmpdir(), "paperboy-search-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("a loaded engine answers every mode exactly as the saved one", async () => {
    const engine = await SearchEngine.build(SMALL_CORPUS, { train: { dimensions: 32 } });
    const path = join(dir, "engine.pbs");
    saveEngine(engine, path);
    const loaded = loadEngine(path);
    assert.equal(loaded.size, engine.size);
    for (const query of ["distribution shift", '"label shift"', "model merging weights", "Lovelace", "the"]) {
      for (const mode of ["keyword", "vector", "hybrid"] as const) {
        assert.deepEqual(
          await loaded.search(query, { mode }),
          await engine.search(query, { mode }),
          `${mode}: ${query}`,
        );
      }
    }
  });

  test("a file that is not an index is refused with a clear error", () => {
    const path = join(dir, "junk.pbs");
    writeFileSync(path, "not an index at all");
    assert.throws(() => loadEngine(path), /not a Paperboy search index/);
  });
});
