import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../src/config/config.ts";
import { SearchEngine } from "../../src/search/engine.ts";
import { loadEngine, saveEngine } from "../../src/search/persist/engine-file.ts";
import { createEmbedder, describeEmbedder } from "../../src/search/vector/create-embedder.ts";
import { OnnxEmbedder } from "../../src/search/vector/onnx-embedder.ts";
import { OpenAiEmbedder } from "../../src/search/vector/openai-embedder.ts";
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from "../fakes/openai-embeddings.ts";
import { writeTinyModel } from "../helpers/onnx-model.ts";
import { SMALL_CORPUS } from "./fixtures.ts";

describe("createEmbedder from the configuration", () => {
  const dir = mkdtempSync(join(tmpdir(), "paperboy-embedders-"));
  let server: FakeEmbeddingServer;
  before(async () => {
    server = await startFakeEmbeddingServer({ dimensions: 24, models: ["nomic-embed-text"] });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(server.unplanned, []);
  });

  test("corpus (the default) leaves the engine to train its own", async () => {
    const config = loadConfig({}).search.embedder;
    assert.deepEqual(config, { kind: "corpus" });
    assert.equal(await createEmbedder(config), undefined);
    assert.equal(describeEmbedder(config), "corpus");
  });

  test("openai:<url> connects to the server and learns its vector length", async () => {
    const config = loadConfig({
      PAPERBOY_EMBEDDER: `openai:${server.url}/v1`,
      PAPERBOY_EMBEDDER_API_KEY: "k",
    }).search.embedder;
    const embedder = await createEmbedder(config);
    assert.ok(embedder instanceof OpenAiEmbedder);
    assert.equal(embedder.dimensions, 24);
    assert.equal(describeEmbedder(config), `openai:${server.url}/v1 (nomic-embed-text)`);
    assert.ok(!describeEmbedder(config).includes("sk-secret"));
  });

  test("onnx:<folder> loads the model from the folder", async () => {
    const folder = join(dir, "tiny");
    writeTinyModel(folder, ["shift", "label"], 8);
    const config = loadConfig({ PAPERBOY_EMBEDDER: `onnx:${folder}` }).search.embedder;
    const embedder = await createEmbedder(config, { dataDir: dir });
    assert.ok(embedder instanceof OnnxEmbedder);
    assert.equal(embedder.dimensions, 8);
    assert.equal(describeEmbedder(config), `onnx:${folder}`);
  });

  test("an engine built with a served embedder is saved, and loads again given the same embedder", async () => {
    const embedder = await createEmbedder(
      loadConfig({ PAPERBOY_EMBEDDER: `openai:${server.url}` }).search.embedder,
    );
    const engine = await SearchEngine.build(SMALL_CORPUS, { embedder });
    const path = join(dir, "served.pbs");
    saveEngine(engine, path);
    assert.throws(() => loadEngine(path), /built with a custom embedder: pass it to loadEngine/);
    const loaded = loadEngine(path, { embedder });
    for (const mode of ["vector", "hybrid"] as const) {
      assert.deepEqual(
        await loaded.search("label shift", { mode }),
        await engine.search("label shift", { mode }),
      );
    }
    assert.deepEqual(await loaded.similar("tta", 3), await engine.similar("tta", 3));
  });
});
