import { ValidationError } from "../../core/errors.ts";
import { type IsoDate, parseIsoDate } from "../../core/index.ts";
import type { Logger } from "../../log.ts";
import { silentLogger } from "../../log.ts";
import { type HttpClient, type HttpResponse, SourceError } from "../../net/http-client.ts";
import { rejectionReason } from "../validation.ts";
import { type HfDailyItem, parseHfDailyEntry } from "./entry.ts";

export interface HfDailyClientOptions {
  /** Where the API lives; default `https://huggingface.co`. */
  baseUrl?: string;
  /** Does the requests: timeouts, retries on 5xx, timeouts and 429 (honouring Retry-After). */
  http: HttpClient;
  logger?: Logger;
}

/** One entry of a day's list that could not be used. `entry` is its 1-based position in the list. */
export interface HfDayProblem {
  entry: number;
  reason: string;
}

/** A day's list: the entries that parsed, in the API's order, and why the others did not. */
export interface HfDay {
  date: IsoDate;
  items: HfDailyItem[];
  problems: HfDayProblem[];
}

export const HF_DEFAULT_BASE_URL = "https://huggingface.co";

const DAY_MS = 86_400_000;

/** The day after `date`. */
function nextDay(date: IsoDate): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10) as IsoDate;
}

/** A short, printable start of a body for error messages. */
function bodyStart(body: string): string {
  return JSON.stringify(body.trimStart().slice(0, 40));
}

/**
 * The entries of a daily-papers body. The API answers a JSON array; the `{status, date, count, data}` wrapper
 * some saved copies use is unwrapped when its date is the day asked for. Anything else is an error that names
 * what came instead, so a maintenance page or a cut-off body never turns into data.
 */
function entriesOf(response: HttpResponse, date: IsoDate, logger: Logger): unknown[] {
  const { body, url } = response;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const type = response.headers.get("content-type") ?? "no content type";
    const what =
      body.trim() === ""
        ? "an empty body"
        : body.trimStart().startsWith("<")
          ? `an HTML page (${type}, starts ${bodyStart(body)})`
          : `a body that is not JSON (${rejectionReason(error)}; starts ${bodyStart(body)})`;
    throw new SourceError("parse", url, `expected a JSON array of daily papers from ${url}, got ${what}`);
  }
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === "object" && "data" in value && Array.isArray(value.data)) {
    const wrapped = "date" in value ? value.date : undefined;
    if (wrapped !== undefined && wrapped !== date) {
      throw new SourceError(
        "parse",
        url,
        `the daily papers from ${url} are wrapped with date ${JSON.stringify(wrapped)}, not the ${date} asked for`,
      );
    }
    logger.warn("daily papers came wrapped as {status, date, count, data}; reading its data", { url, date });
    return value.data;
  }
  const what =
    value !== null && typeof value === "object"
      ? `an object with keys ${Object.keys(value).slice(0, 8).join(", ") || "(none)"}`
      : `a JSON ${value === null ? "null" : typeof value}`;
  throw new SourceError("parse", url, `expected a JSON array of daily papers from ${url}, got ${what}`);
}

/**
 * Reads the Hugging Face daily papers list (`GET /api/daily_papers?date=YYYY-MM-DD`), one day at a time.
 * Each entry is parsed on its own: a bad entry becomes a problem with its reason and never hides the good ones.
 */
export class HfDailyClient {
  private readonly baseUrl: string;
  private readonly http: HttpClient;
  private readonly logger: Logger;

  constructor(options: HfDailyClientOptions) {
    this.baseUrl = (options.baseUrl ?? HF_DEFAULT_BASE_URL).replace(/\/+$/, "");
    this.http = options.http;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * The list for `date`. A day with no list yet (an empty array, or 404) is an empty result. A body that is not
   * a list of entries throws a `SourceError` of kind "parse"; network failures after the HttpClient's retries
   * throw its `SourceError`.
   */
  async fetchDay(date: IsoDate): Promise<HfDay> {
    const day = parseIsoDate(date);
    const url = `${this.baseUrl}/api/daily_papers?date=${day}`;
    const response = await this.http.get(url, {
      headers: { accept: "application/json" },
      acceptStatus: [404],
    });
    if (response.status === 404) {
      this.logger.debug("no daily papers list for this day (404)", { date: day });
      return { date: day, items: [], problems: [] };
    }
    const result: HfDay = { date: day, items: [], problems: [] };
    entriesOf(response, day, this.logger).forEach((value, index) => {
      try {
        result.items.push(parseHfDailyEntry(value, day));
      } catch (error) {
        result.problems.push({ entry: index + 1, reason: rejectionReason(error) });
      }
    });
    if (result.problems.length > 0) {
      this.logger.warn("some daily papers entries were rejected", {
        date: day,
        rejected: result.problems.length,
        first: result.problems[0]?.reason,
      });
    }
    return result;
  }

  /**
   * Every day from `from` to `to`, both included, oldest first, one request a day (days without a list come
   * out empty). Stops with the error of the first day that cannot be read; the days before it were yielded.
   */
  async *fetchRange(from: IsoDate, to: IsoDate): AsyncGenerator<HfDay> {
    const first = parseIsoDate(from);
    const last = parseIsoDate(to);
    if (first > last) {
      throw new ValidationError("invalid_date", `date range starts (${first}) after it ends (${last})`);
    }
    for (let day = first; day <= last; day = nextDay(day)) {
      yield await this.fetchDay(day);
    }
  }
}
