/**
 * A whole Paperboy site started the way a newcomer starts one: `paperboy import` of shared sample files into a
 * fresh SQLite file, then `paperboy serve` (what `npm start` runs) as a child process. No SMTP URL, so mail lands in the dev outbox;
 * every outside source points at a loopback fake (the arXiv API replays recorded answers), so nothing leaves
 * the machine.
 */
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { ARXIV_API_PATH, type FakeArxivApi, startFakeArxivApi } from "../fakes/arxiv-api.ts";
import { runCli } from "./cli.ts";
import { repoRoot, shared } from "./paths.ts";
import { testEnv } from "./sync.ts";

type Child = ChildProcessByStdio<null, Readable, Readable>;

export interface E2eSite {
  /** Where a reader opens it: `http://localhost:<port>`, the same origin as the links the site mails. */
  url: string;
  /** The fake arXiv API the site's submissions go to. */
  arxiv: FakeArxivApi;
  /** The operator's admin account (made with `paperboy users create --admin`), who may read the outbox. */
  operator: { email: string; password: string };
  /** What the server wrote to stderr so far (for failure messages). */
  log(): string;
  /** Stops the server (SIGTERM, as Ctrl-C would), the fake, and deletes the data folder. */
  stop(): Promise<void>;
}

export interface E2eSiteOptions {
  /** Days of ../shared/data/hf-daily/raw to import before serving, read in place (e.g. "2024-05-27"). */
  hfDays: readonly string[];
}

/** A port nobody listens on right now. `serve --port 0` would do, but the mailed links must name the port. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done, fail) => {
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => done());
  });
  const address = probe.address();
  await new Promise<void>((done) => probe.close(() => done()));
  if (address === null || typeof address === "string") throw new Error("could not find a free port");
  return address.port;
}

function waitForListening(child: Child, stderr: () => string): Promise<void> {
  return new Promise((done, fail) => {
    const check = () => {
      if (/serving .* at http:\/\//.test(stderr())) {
        child.stderr.off("data", check);
        child.off("exit", onExit);
        done();
      }
    };
    const onExit = (code: number | null) => fail(new Error(`serve exited early with ${code}:\n${stderr()}`));
    child.stderr.on("data", check);
    child.once("exit", onExit);
    child.once("error", fail);
  });
}

function exited(child: Child): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once("exit", () => done());
  });
}

export async function startE2eSite(options: E2eSiteOptions): Promise<E2eSite> {
  const dir = mkdtempSync(join(tmpdir(), "paperboy-e2e-"));
  const arxiv = await startFakeArxivApi({ holdTurns: 0 });
  const env: Record<string, string> = {
    ...testEnv({ arxivApi: `${arxiv.url}${ARXIV_API_PATH}` }),
    PAPERBOY_ARXIV_INTERVAL_MS: "0",
    PAPERBOY_DB: join(dir, "paperboy.db"),
    PAPERBOY_DATA_DIR: dir,
    PAPERBOY_LOG_LEVEL: "info",
    PAPERBOY_SMTP_URL: "",
    PAPERBOY_SECRET: "",
    PAPERBOY_BASE_URL: "",
    PAPERBOY_OPEN_SIGNUP: "true",
    PAPERBOY_DEV_OUTBOX: "true",
    PAPERBOY_WORKER: "off",
  };
  const operator = { email: "operator@example.org", password: "keeps-the-lights-on-2024" };
  let child: Child | null = null;
  const cleanUp = async () => {
    if (child) {
      child.kill("SIGTERM");
      await exited(child);
    }
    await arxiv.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const files = options.hfDays.map((d) => shared("hf-daily", "raw", `${d}.json`));
    const imported = await runCli(["import", ...files], env);
    if (imported.code !== 0) throw new Error(`import failed (${imported.code}):\n${imported.stderr}`);
    const admin = await runCli(
      ["users", "create", operator.email, "--name", "Operator", "--admin", "--password-stdin"],
      env,
      { stdin: operator.password },
    );
    if (admin.code !== 0) throw new Error(`users create failed (${admin.code}):\n${admin.stderr}`);

    // The free port is found before serve binds it, so another process may take it first: then try again.
    let port = 0;
    let stderr = "";
    for (let attempt = 1; child === null; attempt++) {
      port = await freePort();
      stderr = "";
      const started = spawn(
        process.execPath,
        [resolve(repoRoot, "bin", "paperboy.js"), "serve", "--port", String(port), "--host", "127.0.0.1"],
        { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
      );
      started.stdout.resume();
      started.stderr.setEncoding("utf8").on("data", (d: string) => {
        stderr += d;
      });
      try {
        await waitForListening(started, () => stderr);
        child = started;
      } catch (error) {
        if (started.pid === undefined) throw error;
        await exited(started);
        if (attempt >= 3 || !/EADDRINUSE/.test(stderr)) throw error;
      }
    }
    return {
      url: `http://localhost:${port}`,
      arxiv,
      operator,
      log: () => stderr,
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
