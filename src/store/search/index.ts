import type { RepoContext } from "../repo.ts";
import { KyselyPaperSearch } from "./paper-search.ts";
import type { PaperSearch } from "./search.ts";

export { searchMigrations } from "./migration.ts";
export { MAX_OFFSET, PAPER_UPVOTES_SQL, TOO_DEEP_NOTE, TOTAL_LIMIT } from "./paper-search.ts";
export type * from "./search.ts";

/** Keyword search over the store's papers (FTS5 on SQLite, tsvector on PostgreSQL). */
export function createPaperSearch(ctx: RepoContext): PaperSearch {
  return new KyselyPaperSearch(ctx);
}
