import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Embedder } from "../../src/search/vector/embedder.ts";

/** What every Embedder must do; run it for each implementation. */
export function embedderContract(name: string, make: () => Promise<Embedder>): void {
  describe(`Embedder contract: ${name}`, () => {
    test("one unit-length (or zero) vector of `dimensions` floats per text, in order", async () => {
      const embedder = await make();
      const texts = ["distribution shift", "", "label shift correction", "🙂", "x".repeat(20_000)];
      const vectors = await embedder.embed(texts);
      assert.equal(vectors.length, texts.length);
      for (const v of vectors) {
        assert.ok(v instanceof Float32Array);
        assert.equal(v.length, embedder.dimensions);
        const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
        assert.ok(norm === 0 || Math.abs(norm - 1) < 1e-4, `norm ${norm}`);
      }
      assert.deepEqual(await embedder.embed([]), []);
    });

    test("the same text gets the same vector, alone or in a batch", async () => {
      const embedder = await make();
      const [alone] = await embedder.embed(["label shift correction"]);
      const [, inBatch] = await embedder.embed(["distribution shift", "label shift correction"]);
      assert.deepEqual(alone, inBatch);
    });
  });
}
