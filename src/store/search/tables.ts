/**
 * Tables of the search module, merged into `Database` (schema.ts). The full-text index itself is kept by
 * triggers on `papers` (migration.ts), so ingest code never has to know about it.
 */
export interface SearchTables {
  /**
   * SQLite only: a stable integer id per paper, the rowid of its row in the FTS5 table `paper_search_fts`.
   * (The papers table's own rowid could change on VACUUM, since its key is text.)
   */
  paper_search_docs: { doc_id: number; arxiv_id: string };
  /** PostgreSQL only: each paper's weighted tsvector (title A, authors B, abstract C), GIN-indexed. */
  paper_search: { arxiv_id: string; document: string };
}
