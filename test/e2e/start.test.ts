/**
 * `npm start` (`paperboy serve`) as a newcomer runs it: a fresh data folder, nothing imported. The worker in
 * the same process fills the store from the sources (here loopback fakes), the home page shows how far it
 * got and the papers as they land, a failing source is named with its reason, and SIGTERM stops it cleanly.
 */
import assert from "node:assert/strict";
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { type FakeHf, startFakeHf } from "../fakes/hf.ts";
import { runCli } from "../helpers/cli.ts";
import { repoRoot } from "../helpers/paths.ts";
import { testEnv } from "../helpers/sync.ts";

type Child = ChildProcessByStdio<null, Readable, Readable>;

interface Started {
  child: Child;
  url: string;
  log: () => string;
}

/** `paperboy serve --port 0` with nothing but a data folder and the source URLs set. */
function startServe(env: Record<string, string>, flags: string[] = []): Promise<Started> {
  const child = spawn(
    process.execPath,
    [resolve(repoRoot, "bin", "paperboy.js"), "serve", "--port", "0", "--host", "127.0.0.1", ...flags],
    {
      cwd: repoRoot,
      env: { ...process.env, PAPERBOY_LOG_LEVEL: "info", PAPERBOY_SMTP_URL: "", PAPERBOY_SECRET: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  return new Promise((done, fail) => {
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      const url = /serving .* at (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
      if (url) done({ child, url, log: () => stderr });
    });
    child.stdout.resume();
    child.on("error", fail);
    child.on("exit", (code) => fail(new Error(`serve exited early with ${code}: ${stderr}`)));
  });
}

/** Sends SIGTERM and resolves with the exit code and how long the exit took. */
function terminate(child: Child): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  return new Promise((done) => {
    if (child.exitCode !== null) return done({ code: child.exitCode, ms: 0 });
    child.once("exit", (code) => done({ code, ms: Date.now() - started }));
    child.kill("SIGTERM");
  });
}

/** Reads the home page until `until` holds for it, or fails after `timeoutMs`. */
async function pollHome(url: string, until: (html: string) => boolean, timeoutMs: number, log: () => string) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/`);
    assert.equal(response.status, 200);
    last = await response.text();
    if (until(last)) return { html: last, refresh: response.headers.get("Refresh") };
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail(`the home page did not get there in ${timeoutMs} ms; last page:\n${last}\nlog:\n${log()}`);
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", () => done()));
  const address = probe.address();
  await new Promise<void>((done) => probe.close(() => done()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("npm start on a fresh data folder", () => {
  let dir: string;
  let hf: FakeHf;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "paperboy-start-"));
    hf = await startFakeHf();
  });
  after(async () => {
    await hf.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("fills itself from Hugging Face: papers on the home page within 60 s, then SIGTERM exits 0", async () => {
    const data = join(dir, "fresh");
    const { child, url, log } = await startServe({ ...testEnv({ hf: hf.url }), PAPERBOY_DATA_DIR: data });
    let stopped: { code: number | null; ms: number } | null = null;
    try {
      const { html } = await pollHome(
        url,
        (page) => /href="\/papers\/\d{4}\.\d{4,5}"/.test(page),
        60_000,
        log,
      );
      assert.match(html, /Daily papers, /);
      assert.ok(existsSync(join(data, "paperboy.db")), "the store lives in the data folder by default");
      assert.ok(hf.datesRequested().length > 0);
      assert.deepEqual(hf.unplanned, []);
    } finally {
      stopped = await terminate(child);
    }
    assert.equal(stopped.code, 0, log());
    assert.ok(stopped.ms < 10_000, `SIGTERM took ${stopped.ms} ms`);
    assert.match(log(), /stopped/);
  });

  test("a replica started with --no-worker serves only; PAPERBOY_WORKER=off does the same", async () => {
    for (const [flags, extra] of [
      [["--no-worker"], {}],
      [[], { PAPERBOY_WORKER: "off" }],
    ] as const) {
      const before = hf.requests.length;
      const env = {
        ...testEnv({ hf: hf.url }),
        PAPERBOY_DATA_DIR: join(dir, `replica-${flags.length}`),
        ...extra,
      };
      const { child, url, log } = await startServe(env, [...flags]);
      try {
        assert.match(log(), /worker=off/);
        const home = await fetch(`${url}/`);
        assert.match(await home.text(), /No papers yet/);
        assert.equal(home.headers.get("Refresh"), null);
        const status = await runCli(["status"], env);
        assert.match(status.stdout, /Jobs: 0 queued, 0 running/);
        assert.equal(hf.requests.length, before, "no job ran");
      } finally {
        assert.equal((await terminate(child)).code, 0);
      }
    }
  });

  test("offline, the home page and `paperboy status` name the failed source, the reason and the retry", async () => {
    const data = join(dir, "offline");
    const port = await closedPort();
    const env = { ...testEnv({ hf: `http://127.0.0.1:${port}` }), PAPERBOY_DATA_DIR: data };
    const { child, url, log } = await startServe(env);
    let stopped: { code: number | null; ms: number } | null = null;
    try {
      const { html } = await pollHome(
        url,
        (page) => /Hugging Face daily papers failed/.test(page),
        60_000,
        log,
      );
      assert.match(html, /connection refused by 127\.0\.0\.1:\d+/);
      assert.match(html, /Next try at|Retrying/);
      assert.match(html, /No papers yet/);
      const status = await runCli(["status"], env);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /Failing sources:/);
      assert.match(
        status.stdout,
        /Hugging Face daily papers \(hf-daily\): connection refused by 127\.0\.0\.1:\d+; (next try|retrying now)/,
      );
      assert.equal((await fetch(`${url}/papers/nonsense`)).status, 404, "the site still serves");
    } finally {
      stopped = await terminate(child);
    }
    assert.equal(stopped.code, 0, log());
    assert.ok(stopped.ms < 10_000, `SIGTERM took ${stopped.ms} ms`);
  });
});
