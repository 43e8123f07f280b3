import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../../scripts/paths.ts";

/** `paperboy serve` running as a child process on a loopback port, as an operator would start it. */
export interface ServedSite {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`paperboy serve exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/about`);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`paperboy serve did not answer at ${url} within ${timeoutMs} ms`);
}

/**
 * Serves the library. `dataDir` (kept) is where a search engine built with `paperboy embed --rebuild` lives;
 * without it the server gets an empty, temporary one, as a new install has before the worker's first build.
 */
export async function serveLibrary(
  dbPath: string,
  log: (line: string) => void,
  dataDir?: string,
): Promise<ServedSite> {
  const port = await freePort();
  const ownDir = dataDir === undefined;
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), "paperboy-bench-web-"));
  const child = spawn(
    process.execPath,
    [join(repoRoot, "bin", "paperboy.js"), "serve", "--port", String(port), "--host", "127.0.0.1"],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PAPERBOY_DB: dbPath,
        PAPERBOY_DATA_DIR: dir,
        PAPERBOY_SECRET: "bench-web-secret-0123456789-abcdefghijklmnop",
        PAPERBOY_LOG_LEVEL: "warn",
        NODE_ENV: "production",
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  child.stderr?.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim() !== "") log(`[serve] ${line}`);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(url, child, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: child.pid ?? 0, stop };
}
