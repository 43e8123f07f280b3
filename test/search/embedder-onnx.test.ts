import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { dot, normalize } from "../../src/search/vector/embedder.ts";
import { OnnxEmbedder } from "../../src/search/vector/onnx-embedder.ts";
import { writeTinyModel } from "../helpers/onnx-model.ts";
import { embedderContract } from "./embedder-contract.ts";

const root = mkdtempSync(join(tmpdir(), "paperboy-onnx-"));
after(() => rmSync(root, { recursive: true, force: true }));
const WORDS = ["label", "shift", "distribution", "correction", "protein", "folding", "model", "merging"];
const modelDir = join(root, "tiny-embedder");
const { vocab, table } = writeTinyModel(modelDir, WORDS, 16);
const load = () => OnnxEmbedder.load({ model: modelDir, allowRemote: false });

embedderContract("OnnxEmbedder (tiny Gather model)", load);

describe("ONNX embedder", () => {
  test("a text's vector is the normalised mean of its tokens' vectors, [CLS] and [SEP] included", async () => {
    const embedder = await load();
    assert.equal(embedder.dimensions, 16);
    const [v] = await embedder.embed(["Label SHIFT"]);
    const ids = [vocab["[CLS]"], vocab.label, vocab.shift, vocab["[SEP]"]] as number[];
    const expected = new Float32Array(16);
    for (const id of ids)
      for (let k = 0; k < 16; k++) expected[k] = (expected[k] as number) + (table[id * 16 + k] as number);
    normalize(expected);
    assert.ok(Math.abs(dot(v as Float32Array, expected) - 1) < 1e-5);
  });

  test("texts sharing words are closer than texts that do not", async () => {
    const embedder = await load();
    const [a, b, c] = await embedder.embed(["label shift", "label shift correction", "protein folding"]);
    assert.ok(dot(a as Float32Array, b as Float32Array) > dot(a as Float32Array, c as Float32Array));
  });

  test("a missing folder is refused without reaching for the hub, with a clear error", async () => {
    await assert.rejects(
      OnnxEmbedder.load({ model: join(root, "nowhere"), allowRemote: false }),
      /no model folder at .*nowhere.*PAPERBOY_EMBEDDER_ALLOW_REMOTE/,
    );
    await assert.rejects(
      OnnxEmbedder.load({ model: "Xenova/all-MiniLM-L6-v2", allowRemote: false }),
      /no model folder/,
    );
  });

  test("a folder that holds no model fails with a clear error", async () => {
    const empty = join(root, "empty-model");
    mkdirSync(empty);
    await assert.rejects(
      OnnxEmbedder.load({ model: empty, allowRemote: false }),
      /cannot load the ONNX model/,
    );
  });
});
