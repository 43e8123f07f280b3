import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, beforeEach, describe, test } from "node:test";
import {
  checkOutboundUrl,
  guardedPost,
  guardedRequest,
  OutboundError,
  type OutboundPolicy,
} from "../../src/net/guarded-fetch.ts";
import { listenOnLoopback } from "../fakes/webhook.ts";

const NOBODY: OutboundPolicy = { allowHosts: [] };

const rejectsWith = (promise: Promise<unknown>, code: string, message?: RegExp) =>
  assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof OutboundError, String(error));
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });

describe("guarded outbound requests", () => {
  let server: Server;
  let port: number;
  let connections = 0;

  before(async () => {
    server = createServer((req, res) => {
      if (req.url === "/redirect") {
        res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      } else if (req.url === "/slow") {
        setTimeout(() => res.end("late"), 2_000).unref();
      } else if (req.url === "/huge") {
        res.writeHead(200, { "content-type": "text/plain" });
        const chunk = Buffer.alloc(16 * 1024, "x");
        let left = 256; // 4 MiB
        const pump = () => {
          while (left > 0 && res.write(chunk)) left--;
          if (left === 0) res.end();
          else res.once("drain", pump);
        };
        res.on("error", () => {});
        pump();
      } else {
        let body = "";
        req.on("data", (c: Buffer) => {
          body += c.toString("utf8");
        });
        req.on("end", () => res.writeHead(201, { "content-type": "text/plain" }).end(`got ${body}`));
      }
    });
    server.on("connection", () => {
      connections++;
    });
    port = await listenOnLoopback(server);
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    connections = 0;
  });

  test("refuses loopback and metadata URLs in every spelling without opening a connection", async () => {
    const urls = [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://[::1]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://0x7f000001:${port}/`,
      `http://2130706433:${port}/`,
      `http://127.1:${port}/`,
      `https://127.0.0.1:${port}/`,
      "http://169.254.169.254/latest/meta-data/",
      "http://[fd00:ec2::254]/",
    ];
    for (const url of urls) {
      await rejectsWith(
        guardedPost(url, { body: "{}" }, NOBODY),
        "refused_address",
        /which Paperboy does not call/,
      );
    }
    assert.equal(connections, 0, "not one connection was opened");
  });

  test("says what the address is, in words a member can act on", async () => {
    await rejectsWith(
      checkOutboundUrl("http://hooks.internal.test/x", NOBODY, { resolve: async () => ["10.0.0.3"] }),
      "refused_address",
      /^hooks\.internal\.test resolves to a private address \(10\.0\.0\.3\), which Paperboy does not call\.$/,
    );
    await rejectsWith(
      checkOutboundUrl("http://169.254.169.254/", NOBODY),
      "refused_address",
      /^The URL points at a link-local address \(169\.254\.169\.254\), which Paperboy does not call\.$/,
    );
  });

  test("a name is refused when any one of its addresses is refused", async () => {
    await rejectsWith(
      checkOutboundUrl("https://mixed.test/", NOBODY, {
        resolve: async () => ["93.184.216.34", "127.0.0.1"],
      }),
      "refused_address",
      /loopback address \(127\.0\.0\.1\)/,
    );
    const ok = await checkOutboundUrl("https://public.test/hook", NOBODY, {
      resolve: async () => ["93.184.216.34", "2606:4700:4700::1111"],
    });
    assert.deepEqual(ok.addresses, [
      { address: "93.184.216.34", family: 4 },
      { address: "2606:4700:4700::1111", family: 6 },
    ]);
    assert.equal(ok.allowListed, false);
  });

  test("refuses other schemes, credentials in the URL and names that do not resolve", async () => {
    await rejectsWith(
      checkOutboundUrl("ftp://example.org/", NOBODY),
      "invalid_url",
      /http:\/\/ or https:\/\//,
    );
    await rejectsWith(checkOutboundUrl("file:///etc/passwd", NOBODY), "invalid_url");
    await rejectsWith(checkOutboundUrl("not a url", NOBODY), "invalid_url");
    await rejectsWith(
      checkOutboundUrl("https://user:pw@example.org/", NOBODY),
      "invalid_url",
      /user name or password/,
    );
    await rejectsWith(
      checkOutboundUrl("https://nowhere.test/", NOBODY, { resolve: async () => [] }),
      "unresolved",
      /nowhere\.test could not be found/,
    );
    await rejectsWith(
      checkOutboundUrl("https://slow-dns.test/", NOBODY, {
        resolve: () => new Promise(() => {}),
        connectTimeoutMs: 100,
      }),
      "unresolved",
      /slow-dns\.test could not be resolved within 0\.1 s/,
    );
    assert.equal(new OutboundError("x", "unresolved").hard, false, "DNS may come back: worth a retry");
    assert.equal(new OutboundError("x", "refused_address").hard, true);
  });

  test("an allow-listed host is reached, at the address that was checked", async () => {
    const response = await guardedPost(
      `http://localhost:${port}/hook`,
      { body: "hello", headers: { "content-type": "text/plain" } },
      { allowHosts: ["LocalHost"] },
    );
    assert.equal(response.status, 201);
    assert.equal(response.body.toString("utf8"), "got hello");
    assert.equal(response.truncated, false);

    // A name no resolver knows: the socket is handed the checked address and never looks the name up again.
    const pinned = await guardedRequest(
      `http://receiver.internal.test:${port}/hook`,
      { method: "POST", body: "pinned" },
      { allowHosts: ["receiver.internal.test"] },
      { resolve: async () => ["127.0.0.1"] },
    );
    assert.equal(pinned.body.toString("utf8"), "got pinned");
    assert.equal(connections, 2);
  });

  test("a redirect is a failure and is not followed", async () => {
    await rejectsWith(
      guardedPost(`http://127.0.0.1:${port}/redirect`, { body: "{}" }, { allowHosts: ["127.0.0.1"] }),
      "redirect",
      /answered 302, a redirect, which Paperboy does not follow/,
    );
    assert.equal(connections, 1);
  });

  test("a server that does not answer in time is given up", async () => {
    const started = Date.now();
    await rejectsWith(
      guardedRequest(`http://127.0.0.1:${port}/slow`, {}, { allowHosts: ["127.0.0.1"] }, { timeoutMs: 200 }),
      "timeout",
      /did not answer within 0\.2 s/,
    );
    assert.ok(Date.now() - started < 1_500, "the timeout, not the server, ended the request");
  });

  test("reads at most the body limit, then closes the connection", async () => {
    const response = await guardedRequest(`http://127.0.0.1:${port}/huge`, {}, { allowHosts: ["127.0.0.1"] });
    assert.equal(response.status, 200);
    assert.equal(response.truncated, true);
    assert.equal(response.body.length, 64 * 1024);
    const small = await guardedRequest(
      `http://127.0.0.1:${port}/huge`,
      {},
      { allowHosts: ["127.0.0.1"] },
      { maxBodyBytes: 10 },
    );
    assert.equal(small.body.toString("utf8"), "x".repeat(10));
  });
});
