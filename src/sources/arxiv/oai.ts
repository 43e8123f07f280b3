import { z } from "zod";
import { type ArxivId, type PaperRecord, parseIsoDate, ValidationError } from "../../core/index.ts";
import type { Logger } from "../../log.ts";
import { silentLogger } from "../../log.ts";
import type { Clock } from "../../net/clock.ts";
import { systemClock } from "../../net/clock.ts";
import { type HttpClient, SourceError } from "../../net/http-client.ts";
import { firstIssue } from "../validation.ts";
import {
  type OaiListAnswer,
  type OaiMetadataPrefix,
  type OaiProblem,
  type OaiRecordsPage,
  parseListRecords,
} from "./oai-parse.ts";

export type { OaiMetadataPrefix, OaiProblem } from "./oai-parse.ts";

/** arXiv's OAI-PMH endpoint (https://info.arxiv.org/help/oa/index.html). */
export const DEFAULT_OAI_BASE_URL = "https://oaipmh.arxiv.org/oai";

/**
 * Where a harvest stands. JSON-serialisable: the caller saves it with every page's records, in one transaction,
 * and passes the saved one back to `harvest` to continue after a crash.
 */
export interface OaiCursor {
  /** An OAI set such as `cs`, `cs:cs:LG` or `physics:hep-th`; null for everything. */
  set: string | null;
  metadataPrefix: OaiMetadataPrefix;
  /** YYYY-MM-DD the current list started from (inclusive); null for the beginning. */
  from: string | null;
  /** YYYY-MM-DD the list ends at (inclusive); null for today. */
  until: string | null;
  /** The token for the next page; null: start (or restart) the list from `from`. */
  resumptionToken: string | null;
  /** Highest header datestamp (YYYY-MM-DD) seen so far. */
  newestDatestamp: string | null;
  /** True once the list reached its end. */
  complete: boolean;
  /**
   * True while every datestamp of the current list came no earlier than the newest before it. Only then is it
   * safe to restart an expired list from `newestDatestamp`: arXiv serves lists in identifier order (see the
   * recorded ListIdentifiers answer in ../shared/data/arxiv-oai), where an unseen record may carry an older
   * datestamp than one already seen, so the restart goes back to `from` instead.
   */
  inDatestampOrder: boolean;
}

/** One page of a harvest, with the cursor to save together with it. */
export interface OaiPage {
  records: PaperRecord[];
  /** Records the server reports as deleted (arXiv keeps deletions persistent; rare). */
  deleted: ArxivId[];
  /** Records that could not be read, each with a reason; the rest of the page is unaffected. */
  problems: OaiProblem[];
  cursor: OaiCursor;
  /** The list's size as the server announced it (`completeListSize`), for progress; null when not given. */
  listSize: number | null;
}

export interface OaiHarvesterOptions {
  /** Default `https://oaipmh.arxiv.org/oai`. */
  baseUrl?: string;
  /** Built by the caller, with the shared arXiv `IntervalLimiter` and a clock; it retries 5xx and timeouts. */
  http: HttpClient;
  logger?: Logger;
  /** Waits between attempts at an unreadable body; default the system clock (tests pass the client's clock). */
  clock?: Clock;
  /** Attempts at a page whose body is not a whole OAI-PMH document (cut off, an HTML error page); default 3. */
  bodyAttempts?: number;
  /** Wait before trying such a page again; default 10 s. */
  bodyRetryDelayMs?: number;
  /** Restarts after expired resumption tokens (badResumptionToken) allowed in one `harvest` call; default 5. */
  maxRestarts?: number;
}

/** The server answered with an OAI-PMH error other than the ones a harvest handles (noRecordsMatch, badResumptionToken). */
export class OaiProtocolError extends SourceError {
  /** The OAI-PMH error code, e.g. `badArgument`, `cannotDisseminateFormat`. */
  readonly oaiCode: string;

  constructor(url: string, oaiCode: string, oaiMessage: string, status: number) {
    super("http", url, `OAI-PMH error ${oaiCode} from ${url}: ${oaiMessage || "(no message)"}`, status);
    this.name = "OaiProtocolError";
    this.oaiCode = oaiCode;
  }
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");

/** Validates a cursor read back from storage. */
export const oaiCursorSchema = z.object({
  set: z.string().regex(/^\S+$/, "a set has no spaces").nullable(),
  metadataPrefix: z.enum(["arXiv", "arXivRaw"]),
  from: day.nullable(),
  until: day.nullable(),
  resumptionToken: z.string().min(1).nullable(),
  newestDatestamp: day.nullable(),
  complete: z.boolean(),
  inDatestampOrder: z.boolean(),
});

function checkCursor(value: unknown): OaiCursor {
  const parsed = oaiCursorSchema.safeParse(value);
  if (!parsed.success)
    throw new ValidationError("invalid_config", `invalid OAI cursor: ${firstIssue(parsed.error)}`);
  const c = parsed.data;
  for (const d of [c.from, c.until, c.newestDatestamp]) if (d !== null) parseIsoDate(d);
  if (c.from !== null && c.until !== null && c.until < c.from) {
    throw new ValidationError("invalid_config", `OAI harvest until ${c.until} is before from ${c.from}`);
  }
  return c;
}

function newer(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return b > a ? b : a;
}

/**
 * Harvests arXiv metadata over OAI-PMH ListRecords, one page at a time, for backfills and daily catch-up.
 *
 * - Pages follow `resumptionToken` to the end; each page is yielded with the cursor that comes after it, and
 *   the generator fetches nothing more until asked, so a crash loses at most the page in flight (re-fetched
 *   on resume; records upsert idempotently).
 * - 503 with Retry-After, other 5xx and timeouts are retried by the `HttpClient`; a body that is not a whole
 *   OAI-PMH document is fetched again (`bodyAttempts`), never yielded in part.
 * - An expired token (badResumptionToken) restarts the list without a token, from `newestDatestamp` when the
 *   list has come in datestamp order and from `from` otherwise; records sent again merge idempotently.
 * - noRecordsMatch is an empty, complete harvest. Any other OAI error is an `OaiProtocolError`.
 */
export class OaiHarvester {
  private readonly baseUrl: string;
  private readonly http: HttpClient;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly bodyAttempts: number;
  private readonly bodyRetryDelayMs: number;
  private readonly maxRestarts: number;

  constructor(options: OaiHarvesterOptions) {
    this.baseUrl = options.baseUrl ?? DEFAULT_OAI_BASE_URL;
    this.http = options.http;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.bodyAttempts = Math.max(1, options.bodyAttempts ?? 3);
    this.bodyRetryDelayMs = options.bodyRetryDelayMs ?? 10_000;
    this.maxRestarts = options.maxRestarts ?? 5;
  }

  /** A cursor for a new harvest. `metadataPrefix` defaults to `arXivRaw`, the one with the version history. */
  static startCursor(o: {
    set?: string;
    from?: string;
    until?: string;
    metadataPrefix?: OaiMetadataPrefix;
  }): OaiCursor {
    return checkCursor({
      set: o.set ?? null,
      metadataPrefix: o.metadataPrefix ?? "arXivRaw",
      from: o.from ?? null,
      until: o.until ?? null,
      resumptionToken: null,
      newestDatestamp: null,
      complete: false,
      inDatestampOrder: true,
    });
  }

  /**
   * The cursor for the next incremental run after a complete one: from the newest datestamp seen (inclusive,
   * so that day is read again: records stamped later that day are not missed), no token, no upper bound.
   */
  static nextRun(done: OaiCursor): OaiCursor {
    const c = checkCursor(done);
    if (!c.complete) {
      throw new ValidationError(
        "invalid_config",
        "the OAI harvest is not complete: resume it with harvest()",
      );
    }
    return {
      ...c,
      from: c.newestDatestamp ?? c.until ?? c.from,
      until: null,
      resumptionToken: null,
      complete: false,
      inDatestampOrder: true,
    };
  }

  /**
   * Yields one page at a time; the caller stores page.records and page.cursor together, then asks for the next.
   * A complete cursor yields nothing (use `nextRun` for the next incremental run).
   */
  async *harvest(start: OaiCursor): AsyncGenerator<OaiPage> {
    let cursor = checkCursor(start);
    let restarts = 0;
    while (!cursor.complete) {
      const url = this.listUrl(cursor);
      const answer = await this.fetchPage(url, cursor.metadataPrefix);
      if (answer.kind === "error") {
        const { code, message } = answer;
        if (code === "badResumptionToken" && cursor.resumptionToken !== null) {
          restarts++;
          if (restarts > this.maxRestarts) {
            throw new SourceError(
              "http",
              url,
              `OAI-PMH resumption tokens from ${this.baseUrl} keep expiring: gave up after ${this.maxRestarts} restarts`,
            );
          }
          const from = cursor.inDatestampOrder ? (cursor.newestDatestamp ?? cursor.from) : cursor.from;
          this.logger.warn("OAI resumption token expired, restarting the list", { from, message });
          cursor = { ...cursor, from, resumptionToken: null, inDatestampOrder: true };
          continue;
        }
        if (code === "noRecordsMatch") {
          cursor = { ...cursor, resumptionToken: null, complete: true };
          yield { records: [], deleted: [], problems: [], cursor, listSize: 0 };
          return;
        }
        throw new OaiProtocolError(url, code, message, answer.status);
      }
      cursor = this.advance(cursor, answer);
      if (answer.problems.length > 0) {
        this.logger.warn("OAI records skipped", { url, problems: answer.problems.length });
      }
      this.logger.debug("OAI page", { records: answer.records.length, complete: cursor.complete });
      yield {
        records: answer.records,
        deleted: answer.deleted,
        problems: answer.problems,
        cursor,
        listSize: answer.completeListSize,
      };
    }
  }

  /** The cursor after a page: the next token (or complete), the newest datestamp, whether order held. */
  private advance(cursor: OaiCursor, page: OaiRecordsPage): OaiCursor {
    let newest = cursor.newestDatestamp;
    let ordered = cursor.inDatestampOrder;
    for (const d of page.datestamps) {
      if (newest !== null && d < newest) ordered = false;
      newest = newer(newest, d);
    }
    return {
      ...cursor,
      resumptionToken: page.resumptionToken,
      newestDatestamp: newest,
      complete: page.resumptionToken === null,
      inDatestampOrder: ordered,
    };
  }

  private listUrl(cursor: OaiCursor): string {
    const url = new URL(this.baseUrl);
    url.searchParams.set("verb", "ListRecords");
    if (cursor.resumptionToken !== null) {
      url.searchParams.set("resumptionToken", cursor.resumptionToken);
      return url.toString();
    }
    url.searchParams.set("metadataPrefix", cursor.metadataPrefix);
    if (cursor.from !== null) url.searchParams.set("from", cursor.from);
    if (cursor.until !== null) url.searchParams.set("until", cursor.until);
    if (cursor.set !== null) url.searchParams.set("set", cursor.set);
    return url.toString();
  }

  /** Fetches and reads one page, asking again when the body is not a whole OAI-PMH document. */
  private async fetchPage(
    url: string,
    prefix: OaiMetadataPrefix,
  ): Promise<OaiRecordsPage | { kind: "error"; code: string; message: string; status: number }> {
    const httpError = (status: number) => new SourceError("http", url, `HTTP ${status} from ${url}`, status);
    for (let attempt = 1; ; attempt++) {
      // OAI-PMH errors come with 200, but some servers send them with 400 or 404.
      const response = await this.http.get(url, { acceptStatus: [400, 404] });
      let answer: OaiListAnswer;
      try {
        answer = parseListRecords(response.body, prefix, url);
      } catch (error) {
        if (!(error instanceof SourceError) || error.kind !== "parse") throw error;
        if (response.status >= 400) throw httpError(response.status);
        if (attempt >= this.bodyAttempts) {
          throw new SourceError("parse", url, `${error.message} (after ${attempt} attempts)`);
        }
        this.logger.warn("unreadable OAI-PMH page, fetching it again", {
          url,
          attempt,
          error: error.message,
          retryInMs: this.bodyRetryDelayMs,
        });
        await this.clock.sleep(this.bodyRetryDelayMs);
        continue;
      }
      if (answer.kind === "error") return { ...answer, status: response.status };
      if (response.status >= 400) throw httpError(response.status);
      return answer;
    }
  }
}
