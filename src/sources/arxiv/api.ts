import { parseArxivId } from "../../core/index.ts";
import type { Logger } from "../../log.ts";
import { silentLogger } from "../../log.ts";
import { type Clock, systemClock } from "../../net/clock.ts";
import { HttpClient, type HttpClientOptions, SourceError } from "../../net/http-client.ts";
import { IntervalLimiter } from "../../net/interval-limiter.ts";
import {
  type ArxivApiRecord,
  type AtomFeed,
  canonicalOrRaw,
  type FeedProblem,
  parseAtomFeed,
} from "./atom.ts";

/** The arXiv API's query endpoint. */
export const ARXIV_API_URL = "https://export.arxiv.org/api/query";
/** arXiv's terms of use: at most one request every three seconds, one connection at a time. */
export const ARXIV_INTERVAL_MS = 3_000;
/** Ids per `id_list` request (also its `max_results`). */
export const ID_BATCH_SIZE = 100;
/** The largest `max_results` arXiv serves in one page. */
export const MAX_PAGE_SIZE = 2_000;

/**
 * The limiter every arXiv client in a process must share (API, OAI-PMH, RSS): one request at a time, each
 * started at least `ARXIV_INTERVAL_MS` after the previous one.
 */
export function createArxivLimiter(clock: Clock = systemClock): IntervalLimiter {
  return new IntervalLimiter(ARXIV_INTERVAL_MS, clock);
}

export type ArxivSortBy = "relevance" | "lastUpdatedDate" | "submittedDate";
export type ArxivSortOrder = "ascending" | "descending";

export interface ArxivApiClientOptions extends Omit<HttpClientOptions, "limiter"> {
  /** Shared with every other arXiv client in the process; see `createArxivLimiter`. */
  limiter: IntervalLimiter;
  /** Default `ARXIV_API_URL`. */
  baseUrl?: string;
  /**
   * How many times `searchAll` asks again for a page that arXiv returned empty although more results were
   * promised (a known arXiv hiccup) before failing. Default 3.
   */
  emptyPageRetries?: number;
}

export interface ArxivSearchOptions {
  /** Offset of the first result, default 0. */
  start?: number;
  /** Results in the page, 1 to `MAX_PAGE_SIZE`, default 10 (arXiv's own default). */
  maxResults?: number;
  /** Default "relevance". */
  sortBy?: ArxivSortBy;
  /** Default "descending". */
  sortOrder?: ArxivSortOrder;
}

interface SearchAllLimits {
  /** Results asked for per request, 1 to `MAX_PAGE_SIZE`, default 100. */
  pageSize?: number;
  /** Stop after yielding this many records; default: all of them. */
  maxResults?: number;
}

/**
 * With `since`, results are sorted by submission date, newest first, and paging stops at the first entry
 * submitted (v1) before `since`.
 */
export type ArxivSearchAllOptions = SearchAllLimits &
  (
    | { since?: undefined; sortBy?: ArxivSortBy; sortOrder?: ArxivSortOrder }
    | { since: Date; sortBy?: "submittedDate"; sortOrder?: "descending" }
  );

/** One page of search results, with the opensearch counts arXiv reported. */
export interface ArxivSearchPage {
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  records: ArxivApiRecord[];
  problems: FeedProblem[];
}

export interface ArxivFetchResult {
  records: ArxivApiRecord[];
  problems: FeedProblem[];
  /** Ids asked for (as sent) that arXiv returned nothing for: unknown or withdrawn ids. */
  missing: string[];
}

interface QueryParams {
  searchQuery: string;
  idList: readonly string[];
  sortBy: ArxivSortBy;
  sortOrder: ArxivSortOrder;
  start: number;
  maxResults: number;
}

function checkInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** An id as arXiv expects it: canonical (prefixes and URLs dropped) when it parses, else as given. */
function requestId(input: string): string {
  const trimmed = input.trim();
  try {
    const { id, version } = parseArxivId(trimmed);
    return version === null ? id : `${id}v${version}`;
  } catch {
    return trimmed;
  }
}

function pageOf(feed: AtomFeed): ArxivSearchPage {
  const { totalResults, startIndex, itemsPerPage, records, problems } = feed;
  return { totalResults, startIndex, itemsPerPage, records, problems };
}

/**
 * A client for the arXiv API (https://info.arxiv.org/help/api/user-manual.html): look papers up by id and
 * page through searches. Every request goes through the shared limiter, with HttpClient's timeouts, back-off
 * and Retry-After; a query arXiv refuses (HTTP 400 and its error feed) is a non-retryable `SourceError`
 * carrying arXiv's message.
 */
export class ArxivApiClient {
  private readonly http: HttpClient;
  private readonly baseUrl: string;
  private readonly emptyPageRetries: number;
  private readonly logger: Logger;

  constructor(options: ArxivApiClientOptions) {
    const { baseUrl, emptyPageRetries, ...http } = options;
    this.http = new HttpClient(http);
    this.baseUrl = baseUrl ?? ARXIV_API_URL;
    this.emptyPageRetries = checkInteger("emptyPageRetries", emptyPageRetries ?? 3, 0, 100);
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Looks papers up by id, in requests of up to `ID_BATCH_SIZE` ids. Ids may be versioned (`2104.12255v1`:
   * that version) or old-style (`astro-ph/0601001`); duplicates are asked once. Unknown ids are listed in
   * `missing`. An id arXiv cannot read fails its whole request with arXiv's message (e.g. "incorrect id
   * format for abc"): check ids with `parseArxivId` first to keep one typo from costing a batch.
   */
  async fetchByIds(ids: readonly string[]): Promise<ArxivFetchResult> {
    const wanted = [...new Set(ids.map(requestId).filter((id) => id !== ""))];
    const result: ArxivFetchResult = { records: [], problems: [], missing: [] };
    for (let i = 0; i < wanted.length; i += ID_BATCH_SIZE) {
      const { feed } = await this.query({
        searchQuery: "",
        idList: wanted.slice(i, i + ID_BATCH_SIZE),
        sortBy: "relevance",
        sortOrder: "descending",
        start: 0,
        maxResults: ID_BATCH_SIZE,
      });
      result.records.push(...feed.records);
      result.problems.push(...feed.problems);
    }
    const found = new Set<string>([
      ...result.records.map((r) => r.id),
      ...result.problems.map((p) => p.id ?? ""),
    ]);
    result.missing = wanted.filter((id) => !found.has(canonicalOrRaw(id)));
    return result;
  }

  /** One page of results for an arXiv query such as `ti:transformer AND cat:cs.LG` (see the API manual). */
  async search(query: string, options: ArxivSearchOptions = {}): Promise<ArxivSearchPage> {
    const { feed } = await this.query({
      searchQuery: checkQuery(query),
      idList: [],
      sortBy: options.sortBy ?? "relevance",
      sortOrder: options.sortOrder ?? "descending",
      start: checkInteger("start", options.start ?? 0, 0, Number.MAX_SAFE_INTEGER),
      maxResults: checkInteger("maxResults", options.maxResults ?? 10, 1, MAX_PAGE_SIZE),
    });
    return pageOf(feed);
  }

  /**
   * Pages through a query with start/max_results until arXiv's `totalResults`, `maxResults` records, or (with
   * `since`) the first paper submitted before `since`. Yields each page as it arrives, its records trimmed to
   * those wanted; a paper seen on an earlier page (results shift while paging) is not yielded again.
   */
  async *searchAll(query: string, options: ArxivSearchAllOptions = {}): AsyncGenerator<ArxivSearchPage> {
    const searchQuery = checkQuery(query);
    const pageSize = checkInteger("pageSize", options.pageSize ?? 100, 1, MAX_PAGE_SIZE);
    const limit =
      options.maxResults === undefined
        ? Number.POSITIVE_INFINITY
        : checkInteger("maxResults", options.maxResults, 0, Number.MAX_SAFE_INTEGER);
    const since = options.since?.getTime();
    if (since !== undefined && Number.isNaN(since)) throw new RangeError("since is not a valid date");
    const sortBy = since === undefined ? (options.sortBy ?? "relevance") : "submittedDate";
    const sortOrder = since === undefined ? (options.sortOrder ?? "descending") : "descending";

    const seen = new Set<string>();
    let start = 0;
    while (seen.size < limit) {
      const params = { searchQuery, idList: [], sortBy, sortOrder, start, maxResults: pageSize };
      const feed = await this.nonEmptyPage(params);
      let reachedSince = false;
      const records: ArxivApiRecord[] = [];
      for (const record of feed.records) {
        if (since !== undefined && Date.parse(record.publishedAt ?? "") < since) {
          reachedSince = true;
          break;
        }
        if (seen.size >= limit) break;
        if (seen.has(record.id)) continue;
        seen.add(record.id);
        records.push(record);
      }
      yield { ...pageOf(feed), records };
      start += feed.entryCount;
      if (reachedSince || start >= feed.totalResults) return;
    }
  }

  /** A page, asked again when arXiv returns none of the entries it promised. */
  private async nonEmptyPage(params: QueryParams): Promise<AtomFeed> {
    for (let attempt = 1; ; attempt++) {
      const { feed, url } = await this.query(params);
      if (feed.entryCount > 0 || params.start >= feed.totalResults) return feed;
      if (attempt > this.emptyPageRetries) {
        throw new SourceError(
          "parse",
          url,
          `arXiv returned an empty page at start=${params.start} of ${feed.totalResults} results, ${attempt} times`,
        );
      }
      this.logger.warn("arXiv returned an empty page, asking again", {
        url,
        start: params.start,
        total: feed.totalResults,
      });
    }
  }

  private async query(params: QueryParams): Promise<{ feed: AtomFeed; url: string }> {
    // The same parameters, in the same order, as arXiv's documented examples and our recordings.
    const search = new URLSearchParams({
      search_query: params.searchQuery,
      id_list: params.idList.join(","),
      sortBy: params.sortBy,
      sortOrder: params.sortOrder,
      start: String(params.start),
      max_results: String(params.maxResults),
    });
    const url = `${this.baseUrl}?${search}`;
    const response = await this.http.get(url, {
      acceptStatus: [400],
      headers: { accept: "application/atom+xml" },
    });
    let feed: AtomFeed;
    try {
      feed = parseAtomFeed(response.body, url);
    } catch (error) {
      if (response.status !== 400) throw error;
      const shown = response.body.replace(/\s+/g, " ").slice(0, 200);
      throw new SourceError("http", url, `arXiv API refused ${url} (HTTP 400): ${shown}`, 400);
    }
    if (feed.apiErrors.length > 0 || response.status === 400) {
      const why = feed.apiErrors.join("; ") || "no error message in the feed";
      throw new SourceError(
        "http",
        url,
        `arXiv API refused the query (HTTP ${response.status}): ${why}`,
        response.status,
      );
    }
    return { feed, url };
  }
}

function checkQuery(query: string): string {
  const trimmed = query.trim();
  if (trimmed === "") throw new RangeError("the search query is empty");
  return trimmed;
}
