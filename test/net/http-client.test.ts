/** The one client for configured services: JSON posts, refusals handed back, answers capped in size. */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/net/clock.ts";
import { HttpClient, SourceError } from "../../src/net/http-client.ts";

describe("HttpClient", () => {
  let server: Server;
  let base = "";
  const seen: { method: string; body: string; type: string | undefined }[] = [];

  before(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => {
        body += d.toString("utf8");
      });
      req.on("end", () => {
        seen.push({ method: req.method ?? "", body, type: req.headers["content-type"] });
        if (req.url === "/huge") {
          res.writeHead(200, { "content-type": "text/plain" });
          // No Content-Length: the cap must hold while streaming, not only on the declared size.
          for (let i = 0; i < 64; i++) res.write("x".repeat(1024));
          res.end();
        } else if (req.url === "/declared") {
          res.writeHead(200, { "content-length": String(10_000) });
          res.end("y".repeat(10_000));
        } else if (req.url === "/refuse") {
          res.writeHead(400, { "content-type": "application/json" });
          res.end('{"error":{"message":"unknown model"}}');
        } else {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(body || "{}");
        }
      });
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((done) => server.close(() => done())));

  test("postJson sends JSON and returns the answer", async () => {
    const client = new HttpClient({ clock: new ManualClock() });
    const res = await client.postJson(`${base}/echo`, { a: [1, 2] });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { a: [1, 2] });
    assert.equal(seen.at(-1)?.method, "POST");
    assert.equal(seen.at(-1)?.type, "application/json");
  });

  test("statuses the caller accepts come back as answers; others raise without retrying a 4xx", async () => {
    const client = new HttpClient({ clock: new ManualClock() });
    const accepted = await client.postJson(`${base}/refuse`, {}, { acceptStatus: (s) => s < 500 });
    assert.equal(accepted.status, 400);
    assert.match(accepted.body, /unknown model/);
    const before = seen.length;
    await assert.rejects(
      client.get(`${base}/refuse`),
      (e: unknown) => e instanceof SourceError && e.status === 400,
    );
    assert.equal(seen.length, before + 1, "a refusal is not retried");
  });

  test("an answer over the size cap is refused, streamed or declared", async () => {
    const client = new HttpClient({ clock: new ManualClock(), maxBodyBytes: 4096 });
    for (const path of ["/huge", "/declared"]) {
      await assert.rejects(
        client.get(`${base}${path}`),
        (e: unknown) => e instanceof SourceError && e.kind === "too_large" && !e.retryable,
        path,
      );
    }
    assert.equal((await client.get(`${base}/echo`)).status, 200, "small answers still pass");
  });
});
