import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, found from this file's place in it. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The read-only real data beside the repository (`../shared/data`), or where PAPERBOY_SHARED_DATA says. */
export function sharedData(...parts: string[]): string {
  return resolve(process.env.PAPERBOY_SHARED_DATA ?? resolve(repoRoot, "..", "shared", "data"), ...parts);
}

/** Where a generated snapshot of `count` records lives unless told otherwise: one file per count and seed. */
export function defaultSnapshotPath(count: number, seed: number): string {
  return join(tmpdir(), `paperboy-snapshot-${count}-seed${seed}.jsonl`);
}
