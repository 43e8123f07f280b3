import type { BuildStoreConfig, EmbedderConfig } from "../../config/config.ts";
import { type ArxivId, describeError } from "../../core/index.ts";
import { hasSearchTerms, type ParsedSearchQuery, parseSearchQuery } from "../../core/search-query.ts";
import { type Logger, silentLogger } from "../../log.ts";
import type { KnownAuthor, SearchFilters, SearchSort, StoreSearchResult } from "../../store/search/index.ts";
import type { Store } from "../../store/store.ts";
import type { SearchMode } from "../engine.ts";
import { createEmbedder, describeEmbedder } from "../vector/create-embedder.ts";
import type { Embedder } from "../vector/embedder.ts";
import { createBuildStore } from "./build-store.ts";
import { baseHighWater, CLOCK_MARGIN_MS } from "./delta.ts";
import { DEFAULT_REBUILD_DRIFT } from "./drift.ts";
import { EngineFiles } from "./engine-files.ts";
import { closestByMeaning, MAX_POOL, rankWithEngine, sortedCut } from "./engine-search.ts";
import { combineFilters, hasFilters } from "./filters.ts";
import { assessEngine } from "./freshness.ts";
import { fromStoreHit, hydrateHits } from "./hits.ts";
import { LiveEngine, type LoadedEngine } from "./live-engine.ts";
import { findSimilar } from "./similar.ts";
import { SortedIndex } from "./sorted-index.ts";
import { findsAtLeastAsMany, suggestSpelling } from "./suggest.ts";
import type { PaperQuery, PaperResults, SearchService, SearchStatus, SimilarPaper } from "./types.ts";

export interface SearchServiceOptions {
  store: Store;
  /** The engine's files are under `<dataDir>/search/` (config.dataDir). */
  dataDir: string;
  /** config.search.embedder: engines built with a served model need it to embed queries. Default corpus. */
  embedder?: EmbedderConfig;
  /** config.search.rebuildGrowth, for `status().stale`. Default 0.05. */
  rebuildGrowth?: number;
  /** config.search.rebuildDrift, for `status().stale` and `status().drift`. Default 0.15. */
  rebuildDrift?: number;
  logger?: Logger;
  /** Look for a newer engine build at most this often. Default 5 s. */
  checkIntervalMs?: number;
  /**
   * config.search.buildStore: where the worker publishes builds for replicas (default: the PostgreSQL store
   * when that is the database; nothing on SQLite).
   */
  buildStore?: BuildStoreConfig;
  /**
   * Load the papers' facets with each engine, so filters on relevance searches are evaluated in process
   * (default); false: each filtered search asks the store which of the engine's hits pass (the tests compare).
   */
  facets?: boolean;
  /**
   * Sort searches by date or upvotes in process (`SortedIndex`: every paper's sort keys loaded, the store asked
   * only for the match set) — the default; false: the store sorts every match (the tests compare); "wait": as
   * true, but the first sorted search waits for the keys instead of using the store's path while they load.
   */
  sortKeys?: boolean | "wait";
  /** Reload the sort keys at most this often (changes since the load are read on each search). Default 10 min. */
  sortKeysReloadMs?: number;
  /** Check the store for papers newer than the engine (`NewerPapers`) at most this often. Default 10 s. */
  recountIntervalMs?: number;
}

const DEFAULT_PER_PAGE = 20;

/**
 * The product's search (see `SearchService`): pages, the API, the CLI and the BEIR harness all call this.
 *
 * - no words (only filters): the store lists the matching papers in the requested order;
 * - sort by date or upvotes: the papers with all the words (the store's keyword search, always current), and in
 *   hybrid and vector modes the engine's best `sortedCut` by relevance, in that order (`sortedAnswers`);
 * - no engine built yet: the store's keyword search;
 * - relevance with an engine: the engine's ranking (keyword, vector or hybrid; hybrid by default), cut to the
 *   filters, with papers added since the build merged in from the store's keyword search (`mergeNewer`).
 */
export function createSearchService(options: SearchServiceOptions): SearchService {
  const { store } = options;
  const logger = options.logger ?? silentLogger;
  const files = new EngineFiles(options.dataDir);
  const embedderConfig = options.embedder ?? { kind: "corpus" };
  let embedder: Promise<Embedder | undefined> | null = null;
  const live = new LiveEngine({
    store,
    files,
    logger,
    checkIntervalMs: options.checkIntervalMs,
    facets: options.facets,
    embedderName: describeEmbedder(embedderConfig),
    buildStore: createBuildStore(options.buildStore, store),
    embedder: () => {
      embedder ??= createEmbedder(embedderConfig, { dataDir: options.dataDir, logger });
      return embedder;
    },
  });
  const sortKeys = options.sortKeys ?? true;
  const sortedIndex =
    sortKeys === false ? null : new SortedIndex(store, logger, options.sortKeysReloadMs ?? 600_000);
  let sortedWaited = false;
  const recount = new NewerPapers(store, options.recountIntervalMs ?? 10_000, logger);

  /**
   * The search, with a spelling suggestion when the engine's vocabulary lacks a query word. Only an engine
   * already in use is asked: a date sort or a filter listing never loads one just for a suggestion. The
   * suggestion's results replace the typed query's (`correctedFrom`) unless the caller asked for the words as
   * typed (`spelling`): a word no paper uses adds nothing to the typed query's results ("test-time adaptaion"
   * would rank papers by "test-time" alone), while its correction is a word papers use, a letter or two away.
   * The suggestion is searched once and never corrected in turn, so a search runs at most twice; a suggestion
   * that finds fewer papers than the words as typed is dropped.
   */
  async function search(query: PaperQuery): Promise<PaperResults> {
    const raw = typeof query.q === "string" ? query.q : "";
    const parsed = parseSearchQuery(raw);
    const [results, author] = await Promise.all([rank(query, raw, parsed), knownAuthor(query, parsed)]);
    results.author = author;
    const loaded = live.inUse;
    const spelling = query.spelling ?? "correct";
    if (spelling === "off" || results.problem !== null || results.page > 1 || loaded === null) return results;
    try {
      results.suggestion = await suggestSpelling(store, loaded.engine, raw, parsed);
    } catch (error) {
      logger.warn("spelling suggestion failed", { error: describeError(error) });
    }
    const suggestion = results.suggestion;
    if (suggestion === null) return results;
    // Shown as a link only ("suggest"), one hit is enough to count the suggestion's papers.
    const corrected = await rank(
      spelling === "suggest" ? { ...query, q: suggestion, perPage: 1 } : { ...query, q: suggestion },
      suggestion,
      parseSearchQuery(suggestion),
    );
    // A correction that finds fewer papers than the words as typed is no help: it is not offered.
    if (corrected.problem === null && !findsAtLeastAsMany(results.total, corrected.total)) {
      return { ...results, suggestion: null };
    }
    if (spelling === "suggest" || corrected.problem !== null || corrected.hits.length === 0) return results;
    return { ...corrected, suggestion, correctedFrom: raw, typedHasResults: results.hits.length > 0, author };
  }

  /**
   * The author a query names, when it is nothing but a name: two to five words, no filters, phrases or
   * exclusions, on the first page. A one-word query ("transformer") is a topic far more often than a name.
   */
  async function knownAuthor(query: PaperQuery, parsed: ParsedSearchQuery): Promise<KnownAuthor | null> {
    if ((query.page ?? 1) > 1 || parsed.problem !== null) return null;
    if (hasFilters(parsed.filters) || hasFilters(query.filters ?? {})) return null;
    if (parsed.phrases.length > 0 || parsed.excluded.length > 0) return null;
    const words = parsed.text.split(" ").filter((w) => w !== "");
    if (words.length < 2 || words.length > 5) return null;
    try {
      return await store.search.author(typeof query.q === "string" ? query.q : "");
    } catch (error) {
      logger.warn("author lookup failed", { error: describeError(error) });
      return null;
    }
  }

  async function rank(query: PaperQuery, raw: string, parsed: ParsedSearchQuery): Promise<PaperResults> {
    const filters = combineFilters(parsed.filters, query.filters);
    const perPage = whole(query.perPage, DEFAULT_PER_PAGE, 1, 100);
    const page = whole(query.page, 1, 1, Number.MAX_SAFE_INTEGER);
    const offset = (page - 1) * perPage;
    const sort = query.sort ?? "relevance";
    const notes = [...parsed.notes];
    const base = {
      page,
      perPage,
      filters,
      notes,
      suggestion: null,
      correctedFrom: null,
      typedHasResults: false,
      author: null,
    };
    const empty = (mode: SearchMode, problem: string): PaperResults => ({
      ...base,
      hits: [],
      total: 0,
      mode,
      problem,
    });
    const fromStore = (result: StoreSearchResult): PaperResults => ({
      ...base,
      hits: result.hits.map(fromStoreHit),
      total: result.total,
      mode: "keyword",
      notes: [...notes, ...result.notes.filter((n) => !notes.includes(n))],
      problem: result.problem,
    });

    const requestFiltered = hasFilters(filters);
    const words = hasSearchTerms(parsed);
    if (!words && !requestFiltered) {
      return empty(query.mode ?? "keyword", parsed.problem ?? "The query has no words to search for.");
    }
    if (parsed.problem !== null && (words || hasFilters(parsed.filters))) {
      return empty(query.mode ?? "keyword", parsed.problem);
    }
    if (!words) {
      // Nothing to search for but filters (from the query or the form): list what passes them.
      if (parsed.problem !== null) notes.push(parsed.problem);
      return fromStore(await store.search.filter({ filters, sort, offset, limit: perPage }));
    }
    const keywordOnly = () =>
      store.search.search({ text: parsed.text, parsed, filters, sort, offset, limit: perPage });

    const loaded = query.mode === "keyword" && sort !== "relevance" ? null : await live.current();
    if (loaded === null) {
      if (query.mode !== undefined && query.mode !== "keyword") {
        notes.push(
          "Search by meaning is not available until the search engine is built " +
            "(the worker builds it, or run: paperboy embed --rebuild); these are keyword results.",
        );
      }
      if (sort !== "relevance") return fromStore(await sortedAnswers(parsed, filters, sort, offset, perPage));
      return fromStore(await keywordOnly());
    }
    const mode = query.mode ?? "hybrid";
    if (sort !== "relevance") {
      // (Sorted in keyword mode never gets here: it needs no engine.)
      const closest = await closestByMeaning(
        store,
        loaded,
        raw,
        parsed,
        mode,
        sortedCut(loaded.manifest.papers),
      );
      const found = await sortedAnswers(parsed, filters, sort, offset, perPage, closest);
      return { ...fromStore(found), mode };
    }
    if (offset >= MAX_POOL) {
      return empty(
        mode,
        `Only the first ${MAX_POOL} results can be paged through; narrow the search instead.`,
      );
    }
    const ranking = await rankWithEngine({
      store,
      loaded,
      raw,
      parsed,
      filters,
      filtered: requestFiltered,
      mode,
      want: offset + perPage,
      newerMayExist: await recount.newerThan(loaded),
    });
    if (ranking.problem !== null) return fromStore(await keywordOnly());
    const pageIds = ranking.ranked.slice(offset, offset + perPage);
    const hits = await hydrateHits(store, pageIds, ranking.fromStore, parsed);
    if (pageIds.some((r) => ranking.fromStore.has(r.id))) {
      notes.push(
        "Papers added since the search engine was last built are ranked by their keywords only until the next build.",
      );
    }
    return { ...base, hits, total: ranking.ranked.length, mode, problem: null };
  }

  /**
   * The answers of a search sorted by date or upvotes (/about says so): the papers with every
   * word of the query, and in hybrid and vector modes also the engine's best `sortedCut` by relevance (papers
   * that answer the query in other words), in the requested order; ties by date, then id, so pages never
   * overlap. Counted and paged by the store.
   */
  async function sortedAnswers(
    parsed: ParsedSearchQuery,
    filters: SearchFilters,
    sort: SearchSort,
    offset: number,
    limit: number,
    include: readonly ArxivId[] = [],
  ): Promise<StoreSearchResult> {
    if (sortedIndex !== null && (sort === "date" || sort === "upvotes") && !hasFilters(filters)) {
      if (sortKeys === "wait" && !sortedWaited) {
        sortedWaited = true;
        await sortedIndex.load();
      }
      try {
        const found = await sortedIndex.search(parsed, sort, offset, limit, include);
        if (found !== null) return found;
      } catch (error) {
        logger.warn("sorted search in process failed; the store sorts", { error: describeError(error) });
      }
    }
    return store.search.search({
      text: parsed.text,
      parsed,
      filters,
      sort,
      offset,
      limit,
      match: "all",
      include,
    });
  }

  return {
    search,
    async similar(id: ArxivId, limit = 10): Promise<SimilarPaper[]> {
      return findSimilar(store, await live.current(), id, limit);
    },
    async status(): Promise<SearchStatus> {
      const assessment = await assessEngine(store, files, {
        rebuildGrowth: options.rebuildGrowth ?? 0.05,
        rebuildDrift: options.rebuildDrift ?? DEFAULT_REBUILD_DRIFT,
        embedder: describeEmbedder(embedderConfig),
      });
      const m = assessment.manifest;
      const drift = m?.delta?.drift;
      return {
        engine: m && {
          papers: m.papers,
          builtAt: m.builtAt,
          embedder: m.embedder,
          file: files.enginePath(m),
        },
        storePapers: assessment.storePapers,
        stale: assessment.staleBecause !== null && assessment.storePapers > 0,
        drift:
          drift === undefined
            ? null
            : {
                value: drift,
                papers: m?.delta?.driftPapers ?? 0,
                threshold: options.rebuildDrift ?? DEFAULT_REBUILD_DRIFT,
              },
        serving: live.inUse && {
          build: live.inUse.manifest.build,
          delta: live.inUse.deltaFile,
          papers: live.inUse.searcher.size,
          facets: live.inUse.facets !== null,
        },
        sortKeys: sortedIndex?.status ?? null,
      };
    },
  };
}

/** A whole number in [min, max] from an optional input; out-of-range or non-numbers fall back or clamp. */
function whole(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

/** Papers stored since the engine's high-water mark read per page, and at most this many pages per check. */
const NEWER_PAGE = 500;
const NEWER_PAGES = 20;

/**
 * Whether the store holds papers the engine does not search yet: any paper stored (added or changed) since the
 * high-water mark of what is loaded (the delta's, else the base's; less the delta's clock margin) that the
 * engine does not know and that is not withdrawn. Read through the index on papers' update time, at most
 * every `intervalMs` per loaded engine; when the check fails, newer papers are assumed. (Counting papers
 * cannot tell: a build leaves withdrawn papers out, so the store always holds more than the engine once one is
 * withdrawn.) A hidden paper updated within the margin answers "newer" until the next delta moves the mark.
 */
class NewerPapers {
  private checked: { at: number; loaded: LoadedEngine; newer: boolean } | null = null;

  constructor(
    private readonly store: Store,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  async newerThan(loaded: LoadedEngine): Promise<boolean> {
    const last = this.checked;
    if (last !== null && last.loaded === loaded && Date.now() - last.at < this.intervalMs) return last.newer;
    const manifest = loaded.manifest;
    const mark =
      loaded.deltaFile !== null && manifest.delta !== undefined
        ? manifest.delta.highWater
        : baseHighWater(manifest);
    const since = new Date(Date.parse(mark) - CLOCK_MARGIN_MS).toISOString();
    try {
      const newer = await this.unknownSince(since, loaded);
      this.checked = { at: Date.now(), loaded, newer };
      return newer;
    } catch (error) {
      // Checking only saves work: when it fails, merging the store's hits is the safe choice.
      this.logger.warn("could not check for papers newer than the search engine", {
        error: describeError(error),
      });
      this.checked = null;
      return true;
    }
  }

  /**
   * Whether a paper stored since `since` is unknown to `loaded` and not withdrawn (withdrawn papers are never
   * searched, so one withdrawn just before the build is not "newer"). Papers a delta took in just before its
   * mark are known; more than `NEWER_PAGES` pages of changes are taken as newer without reading further.
   */
  private async unknownSince(since: string, loaded: LoadedEngine): Promise<boolean> {
    let after: { updatedAt: string; id: string } | undefined;
    for (let pages = 0; pages < NEWER_PAGES; pages++) {
      const page = await this.store.searchBuilds.changedSince(since, NEWER_PAGE, after);
      const unknown = page.filter((p) => !loaded.knows(p.id)).map((p) => p.id as ArxivId);
      if (unknown.length > 0 && (await this.store.getPapers(unknown)).some((p) => p.withdrawnAt === null))
        return true;
      if (page.length < NEWER_PAGE) return false;
      after = page[page.length - 1];
    }
    return true;
  }
}
