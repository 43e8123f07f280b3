import assert from "node:assert/strict";
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { runCli } from "../helpers/cli.ts";
import { repoRoot } from "../helpers/paths.ts";

type Child = ChildProcessByStdio<null, Readable, Readable>;

/** Starts `paperboy serve --port 0` and resolves with its URL once it logs that it is listening. */
function startServe(dir: string): Promise<{ child: Child; url: string; log: () => string }> {
  const child = spawn(
    process.execPath,
    [resolve(repoRoot, "bin", "paperboy.js"), "serve", "--port", "0", "--host", "127.0.0.1"],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PAPERBOY_DB: join(dir, "paperboy.db"),
        PAPERBOY_DATA_DIR: dir,
        PAPERBOY_LOG_LEVEL: "info",
        PAPERBOY_SMTP_URL: "",
        PAPERBOY_SECRET: "",
        PAPERBOY_WORKER: "off",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  return new Promise((resolvePromise, reject) => {
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      const url = /serving .* at (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
      if (url) resolvePromise({ child, url, log: () => stderr });
    });
    child.stdout.resume();
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`serve exited early with ${code}: ${stderr}`)));
  });
}

function exited(child: Child): Promise<number | null> {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null) resolvePromise(child.exitCode);
    else child.once("exit", (code) => resolvePromise(code));
  });
}

describe("paperboy serve", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "paperboy-serve-"));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test("serves the pages over HTTP and stops cleanly on SIGTERM", async () => {
    const { child, url, log } = await startServe(dir);
    try {
      const home = await fetch(`${url}/`);
      assert.equal(home.status, 200);
      const html = await home.text();
      assert.match(html, /No papers yet/);
      assert.match(home.headers.get("Server-Timing") ?? "", /app;dur=/);
      const css = /href="(\/static\/style\.[0-9a-f]+\.css)"/.exec(html)?.[1];
      assert.ok(css);
      const style = await fetch(`${url}${css}`);
      assert.equal(style.status, 200);
      assert.match(style.headers.get("Content-Type") ?? "", /text\/css/);
      assert.equal((await fetch(`${url}/papers/nonsense`)).status, 404);
    } finally {
      child.kill("SIGTERM");
    }
    assert.equal(await exited(child), 0);
    assert.match(log(), /stopped/);
  });

  test("a bad --port is a usage error", async () => {
    const result = await runCli(["serve", "--port", "http"], { PAPERBOY_DB: join(dir, "x.db") });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /must be a number from 0 to 65535/);
  });
});
