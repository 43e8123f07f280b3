import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, test } from "node:test";
import { classifyFailure } from "../../src/net/failure.ts";
import { HttpClient } from "../../src/net/http-client.ts";
import { type FakeServer, startFakeServer } from "../fakes/server.ts";

/** The message a real failed call gives (what the store keeps as a source's last error). */
async function failureOf(url: string, client = new HttpClient({ retry: { attempts: 1 }, timeoutMs: 300 })) {
  const error = await client.get(url).then(
    () => assert.fail(`${url} answered`),
    (e: unknown) => e as Error,
  );
  return error.message;
}

describe("why a source failed, read from its error", () => {
  let fake: FakeServer;
  before(async () => {
    fake = await startFakeServer((url) =>
      url.pathname === "/down"
        ? { status: 503, body: "maintenance" }
        : url.pathname === "/hang"
          ? { hang: true }
          : url.pathname === "/html"
            ? { status: 200, headers: { "content-type": "text/html" }, body: "<html>" }
            : undefined,
    );
  });
  after(async () => {
    await fake.close();
  });

  test("a closed port is a refused connection, naming the host", async () => {
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, "127.0.0.1", () => done()));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((done) => probe.close(() => done()));
    const reason = classifyFailure(await failureOf(`http://127.0.0.1:${port}/x`));
    assert.equal(reason.kind, "refused");
    assert.equal(reason.host, `127.0.0.1:${port}`);
    assert.match(reason.summary, /connection refused by 127\.0\.0\.1/);
  });

  test("a name that does not resolve is DNS (as HttpClient words a failed lookup)", () => {
    // Resolving a name would ask a DNS server, which tests must not: the client's wording of Node's codes.
    for (const code of ["ENOTFOUND", "EAI_AGAIN"]) {
      const reason = classifyFailure(
        `cannot reach https://huggingface.co/api/daily_papers?date=2026-01-01: ${code}`,
      );
      assert.equal(reason.kind, "dns");
      assert.equal(reason.host, "huggingface.co");
      assert.match(reason.summary, /^DNS: .*huggingface\.co/);
    }
  });

  test("an HTTP error status, a timeout and an answer that is not data", async () => {
    const http = classifyFailure(await failureOf(`${fake.url}/down`));
    assert.equal(http.kind, "http");
    assert.equal(http.status, 503);
    assert.match(http.summary, /^HTTP 503 from 127\.0\.0\.1:\d+$/);
    const timeout = classifyFailure(await failureOf(`${fake.url}/hang`));
    assert.equal(timeout.kind, "timeout");
    assert.match(timeout.summary, /within 0\.3 s/);
    assert.equal(
      classifyFailure(`expected a JSON array of daily papers from ${fake.url}/html, got an HTML page`).kind,
      "bad-answer",
    );
  });

  test("anything else is shown as it was said, on one line", () => {
    assert.deepEqual(classifyFailure("disk full\nat somewhere"), {
      kind: "other",
      host: null,
      status: null,
      summary: "disk full",
    });
  });
});
