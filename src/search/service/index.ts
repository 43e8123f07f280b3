/**
 * The search service's one entry: what pages, the API, feeds, the CLI, jobs and the BEIR harness use. Modules
 * inside `service/` import each other directly (and their shared types from `types.ts`), never this file.
 */
export { type BuildOptions, buildSearchEngine, type RebuildDecision, rebuildIfStale } from "./build.ts";
export {
  type BuildStore,
  createBuildStore,
  postgresBuildStore,
  s3BuildStore,
} from "./build-store.ts";
export { buildInThread } from "./build-thread.ts";
export { createSearchService, type SearchServiceOptions } from "./create.ts";
export { type DeltaUpdate, type EngineUpdate, updateEngine } from "./delta.ts";
export { EngineFiles, type EngineManifest } from "./engine-files.ts";
export { SORTED_CUT, SORTED_CUT_SHARE } from "./engine-search.ts";
export { assessEngine } from "./freshness.ts";
export { fetchPublishedBuild, publishBuild } from "./replicate.ts";
export type {
  PaperHit,
  PaperQuery,
  PaperResults,
  SearchService,
  SearchStatus,
  SimilarPaper,
  SpellingHelp,
} from "./types.ts";
