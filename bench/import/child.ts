import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { repoRoot } from "../../scripts/paths.ts";
import { type WorkerReport, workerReportSchema } from "./worker-report.ts";

export interface NodeRun {
  stdout: string;
  seconds: number;
}

/**
 * Runs a TypeScript file of the repository in a new Node process (through tsx), stderr passed through, and
 * resolves with its stdout once it exits with 0.
 */
export function runTs(
  file: string,
  args: readonly string[],
  nodeFlags: readonly string[] = [],
): Promise<NodeRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", resolve(repoRoot, file), ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  return new Promise((done, fail) => {
    child.on("error", fail);
    child.on("close", (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) done({ stdout, seconds });
      else fail(new Error(`${file} ${args.slice(0, 2).join(" ")} exited with ${signal ?? code}`));
    });
  });
}

/** Imports `files` into the database at `db` in a worker process and returns what the worker measured. */
export async function runWorker(
  db: string,
  files: readonly string[],
  options: { batchSize?: number; nodeFlags?: readonly string[] },
): Promise<{ report: WorkerReport; processSeconds: number }> {
  const args = [
    "--db",
    db,
    ...(options.batchSize ? ["--batch-size", String(options.batchSize)] : []),
    ...files,
  ];
  const { stdout, seconds } = await runTs("bench/import/worker.ts", args, options.nodeFlags);
  const lastLine = stdout.trim().split("\n").pop() ?? "";
  return { report: workerReportSchema.parse(JSON.parse(lastLine)), processSeconds: seconds };
}
