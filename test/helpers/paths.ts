import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The read-only real data beside the repository (`../shared/data`), or where PAPERBOY_SHARED_DATA says. */
export const sharedData = process.env.PAPERBOY_SHARED_DATA ?? resolve(repoRoot, "..", "shared", "data");

export function shared(...parts: string[]): string {
  return resolve(sharedData, ...parts);
}
