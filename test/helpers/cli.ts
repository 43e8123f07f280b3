import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { repoRoot } from "./paths.ts";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `paperboy` binary in a child process, as a user would; `stdin` is typed into it when given. */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  options: { stdin?: string } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [resolve(repoRoot, "bin", "paperboy.js"), ...args], {
      cwd: repoRoot,
      env: { ...process.env, PAPERBOY_LOG_LEVEL: "info", ...env },
      stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
    if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  });
}
