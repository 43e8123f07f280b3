/** Tables of the search-builds module, merged into `Database` (schema.ts). */

/** One chunk of one file of a published search engine build (`seq` from 0; every chunk but the last is full). */
export interface SearchBuildChunksTable {
  build_id: string;
  file: string;
  seq: number;
  bytes: Uint8Array;
}

/** The build replicas should serve: one row (`slot` 1), its manifest as JSON. */
export interface SearchBuildCurrentTable {
  slot: number;
  build_id: string;
  manifest_json: string;
  published_at: string;
}

export interface SearchBuildsTables {
  search_build_chunks: SearchBuildChunksTable;
  search_build_current: SearchBuildCurrentTable;
}
