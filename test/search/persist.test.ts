import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { SearchEngine } from "../../src/search/engine.ts";
import { readContainer, writeContainer } from "../../src/search/persist/container.ts";
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

  test("arrays are written and read in chunks (as files over 2 GiB must be), and truncation is caught", () => {
    const path = join(dir, "chunks.pbs");
    const floats = Float32Array.from({ length: 10_001 }, (_, i) => Math.sin(i));
    const bytes = Uint8Array.from({ length: 999 }, (_, i) => i % 251);
    const words = Uint16Array.from({ length: 77 }, (_, i) => i * 811);
    writeContainer(path, { name: "chunks" }, { floats, bytes, words }, 1_000);
    const read = readContainer(path, 1_000);
    assert.deepEqual(read.meta, { name: "chunks" });
    assert.deepEqual(read.arrays.floats, floats);
    assert.deepEqual(read.arrays.bytes, bytes);
    assert.deepEqual(read.arrays.words, words);
    truncateSync(path, statSync(path).size - 10);
    assert.throws(() => readContainer(path, 1_000), /truncated/);
  });
});
