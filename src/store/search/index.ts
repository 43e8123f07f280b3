import type { Migration } from "kysely";
import type { RepoContext } from "../repo.ts";
import type { PaperSearch } from "./search.ts";

export type * from "./search.ts";

/** Migrations of the search module (full-text index tables/columns), merged into the store's list. */
export const searchMigrations: Record<string, Migration> = {};

export function createPaperSearch(_ctx: RepoContext): PaperSearch {
  const missing = async (): Promise<never> => {
    throw new Error("store search is being built");
  };
  return { search: missing, filter: missing, passing: missing };
}
