import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/net/clock.ts";
import { dot } from "../../src/search/vector/embedder.ts";
import { OpenAiEmbedder, type OpenAiEmbedderOptions } from "../../src/search/vector/openai-embedder.ts";
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from "../fakes/openai-embeddings.ts";
import { hashEmbedding } from "../helpers/hash-embedding.ts";
import { embedderContract } from "./embedder-contract.ts";

let server: FakeEmbeddingServer;
before(async () => {
  server = await startFakeEmbeddingServer({ dimensions: 32, apiKey: "sk-test" });
});
after(async () => {
  await server.close();
  assert.deepEqual(server.unplanned, []);
});

const options = (more: Partial<OpenAiEmbedderOptions> = {}): OpenAiEmbedderOptions => ({
  url: server.url,
  model: "fake-embed",
  apiKey: "sk-test",
  dimensions: null,
  retry: { attempts: 3, baseDelayMs: 10 },
  clock: new ManualClock(),
  ...more,
});

embedderContract("OpenAiEmbedder (fake server)", () => OpenAiEmbedder.connect(options()));

describe("OpenAI-compatible embedder", () => {
  test("learns the vector length on connecting, and gives the server's vectors normalised", async () => {
    const embedder = await OpenAiEmbedder.connect(options());
    assert.equal(embedder.dimensions, 32);
    const [v] = await embedder.embed(["label shift"]);
    const expected = hashEmbedding("label shift", 32);
    assert.ok(Math.abs(dot(v as Float32Array, expected) - 1) < 1e-5);
  });

  test("accepts a URL already ending in /v1, with or without a slash", async () => {
    for (const url of [`${server.url}/v1`, `${server.url}/v1/`, `${server.url}/`]) {
      const embedder = await OpenAiEmbedder.connect(options({ url }));
      assert.equal((await embedder.embed(["a"])).length, 1);
    }
  });

  test("sends texts in batches and keeps their order; empty texts are never sent", async () => {
    const embedder = await OpenAiEmbedder.connect(options({ batchSize: 4 }));
    const texts = Array.from({ length: 10 }, (_, i) => (i === 5 ? "" : `text number ${i}`));
    const before = server.inputs.length;
    const vectors = await embedder.embed(texts);
    const sent = server.inputs.slice(before);
    assert.deepEqual(
      sent.map((batch) => batch.length),
      [4, 4, 1],
    );
    assert.ok(sent.flat().every((t) => t !== ""));
    assert.ok(vectors[5]?.every((x) => x === 0));
    const [alone] = await embedder.embed(["text number 7"]);
    assert.deepEqual(vectors[7], alone);
  });

  test("cuts very long texts before sending", async () => {
    const embedder = await OpenAiEmbedder.connect(options({ maxChars: 100 }));
    await embedder.embed(["y".repeat(5000)]);
    assert.equal(server.inputs.at(-1)?.[0]?.length, 100);
    await embedder.embed([`${"y".repeat(99)}🙂`]);
    assert.equal(server.inputs.at(-1)?.[0], "y".repeat(99), "an emoji cut in half is left out");
  });

  test("a wrong key, a wrong model and a wrong vector length fail with clear messages", async () => {
    await assert.rejects(
      OpenAiEmbedder.connect(options({ apiKey: "wrong" })),
      /refused the API key \(HTTP 401\)/,
    );
    await assert.rejects(OpenAiEmbedder.connect(options({ apiKey: null })), /refused the API key/);
    await assert.rejects(
      OpenAiEmbedder.connect(options({ model: "no-such-model" })),
      /has no model "no-such-model"/,
    );
    await assert.rejects(
      OpenAiEmbedder.connect(options({ dimensions: 768 })),
      /gives 32-dimensional vectors; the configured dimensions are 768/,
    );
    await assert.rejects(
      OpenAiEmbedder.connect(options({ url: `${server.url}/elsewhere/v1` })),
      /not an embeddings endpoint/,
    );
  });

  test("malformed answers are refused with a clear error", async () => {
    const embedder = await OpenAiEmbedder.connect(options());
    const isEmbeddings = (url: URL) => url.pathname === "/v1/embeddings";
    const json = { "content-type": "application/json" };
    server.inject(isEmbeddings, { body: "<html>gateway</html>" });
    await assert.rejects(embedder.embed(["a"]), /malformed answer .*not JSON/);
    server.inject(isEmbeddings, {
      headers: json,
      body: JSON.stringify({ data: [{ index: 0, embedding: ["x"] }] }),
    });
    await assert.rejects(embedder.embed(["a"]), /malformed answer/);
    server.inject(isEmbeddings, { headers: json, body: JSON.stringify({ data: [] }) });
    await assert.rejects(embedder.embed(["a"]), /returned 0 vectors for 1 texts/);
    server.inject(isEmbeddings, {
      headers: json,
      body: JSON.stringify({ data: [{ index: 0, embedding: [1, 2, 3] }] }),
    });
    await assert.rejects(embedder.embed(["a"]), /gives 3-dimensional vectors; the earlier answers had 32/);
  });

  test("429 and 5xx are retried (Retry-After honoured); a server that keeps failing is reported", async () => {
    const clock = new ManualClock();
    const embedder = await OpenAiEmbedder.connect(options({ clock }));
    const isEmbeddings = (url: URL) => url.pathname === "/v1/embeddings";
    server.inject(isEmbeddings, { status: 429, headers: { "retry-after": "7" }, body: "slow down" });
    server.inject(isEmbeddings, { status: 503, body: "busy" });
    const [v] = await embedder.embed(["retried text"]);
    assert.equal(v?.length, 32);
    assert.equal(clock.sleeps[0], 7000);
    assert.equal(clock.sleeps.length, 2);
    server.inject(isEmbeddings, { status: 500, body: "down" }, 3);
    await assert.rejects(embedder.embed(["never"]), /HTTP 500/);
  });

  test("refuses a URL that is not http(s) and an empty model name", async () => {
    await assert.rejects(
      OpenAiEmbedder.connect(options({ url: "ftp://example.org" })),
      /not an http\(s\) URL/,
    );
    await assert.rejects(OpenAiEmbedder.connect(options({ model: " " })), /no embedding model/);
  });
});
