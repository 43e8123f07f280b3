import { z } from "zod";
import { isPaperboyError, ValidationError } from "../../core/errors.ts";
import { type GitHubRepo, isValidRepo, repoKey } from "../../core/github-repo.ts";
import { type IsoTimestamp, toTimestamp } from "../../core/index.ts";
import type { Logger } from "../../log.ts";
import { silentLogger } from "../../log.ts";
import type { Clock } from "../../net/clock.ts";
import { type HttpClient, type HttpResponse, retryAfterMs, SourceError } from "../../net/http-client.ts";
import { firstIssue, rejectionReason } from "../validation.ts";

export interface GitHubClientOptions {
  /** Default `https://api.github.com`. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <token>` when given (5,000 requests an hour instead of 60). */
  token?: string;
  /** Does the requests; retries 5xx and timeouts. Rate limits are handled here, not there. */
  http: HttpClient;
  /** Waits for rate-limit resets happen on this clock; it also stamps `observedAt`. */
  clock: Clock;
  logger?: Logger;
  /** The longest wait for a rate limit to reset; a later reset stops with `RateLimitedError`. Default 15 min. */
  maxWaitMs?: number;
  /** The REST API version asked for (`X-GitHub-Api-Version`). Default `2022-11-28`. */
  apiVersion?: string;
}

/** A repository's star count as GitHub gave it at `observedAt`. `movedTo` is set when GitHub redirected. */
export interface StarsFound {
  repo: string;
  stars: number;
  observedAt: IsoTimestamp;
  movedTo?: string;
}

/** The repository does not exist, or not publicly (deleted, made private). */
export interface StarsMissing {
  repo: string;
  missing: true;
}

/** `fetchMany` only: this repository could not be read (a 4xx other than 404, a bad answer, a bad name). */
export interface StarsFailed {
  repo: string;
  error: string;
}

export type StarsResult = StarsFound | StarsMissing;
export type StarsOutcome = StarsResult | StarsFailed;

export const GITHUB_DEFAULT_BASE_URL = "https://api.github.com";
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 15 * 60_000;

/** GitHub asks to wait at least a minute after a secondary rate limit that gives no time. */
const SECONDARY_LIMIT_WAIT_MS = 60_000;
/** A refusal always waits at least this long, so a reset already past on our clock cannot spin. */
const MIN_REFUSAL_WAIT_MS = 1_000;
/** Rate-limit refusals in a row for one request before giving up on it. */
const MAX_REFUSALS = 5;

/** The GitHub API refuses requests until `until`, and waiting that long was not allowed. Retry after it. */
export class RateLimitedError extends SourceError {
  override readonly retryable = true;
  readonly until: IsoTimestamp;

  constructor(url: string, until: number, why: string) {
    const at = toTimestamp(new Date(until));
    super("http", url, `GitHub API rate limited until ${at}: ${why}`);
    this.name = "RateLimitedError";
    this.until = at;
  }
}

const repoSchema = z.looseObject({
  full_name: z.string(),
  stargazers_count: z.number().int().min(0),
});

function headerInt(response: HttpResponse, name: string): number | null {
  const value = response.headers.get(name);
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value);
}

function messageOf(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (
      parsed !== null &&
      typeof parsed === "object" &&
      "message" in parsed &&
      typeof parsed.message === "string"
    ) {
      return parsed.message;
    }
  } catch {
    // Not JSON: the start of the body says enough.
  }
  return body.slice(0, 120);
}

/**
 * Whether a failure concerns one repository (a bad name, a 4xx such as 451, a body we cannot read) rather than
 * the API as a whole (rate limit, a rejected token, network, timeouts, 5xx), which would fail every other too.
 */
function isRepoFault(error: unknown): boolean {
  if (isPaperboyError(error)) return true;
  if (!(error instanceof SourceError) || error instanceof RateLimitedError) return false;
  if (error.kind === "parse") return true;
  return error.status !== null && error.status >= 400 && error.status < 500 && error.status !== 401;
}

function minutes(ms: number): string {
  return `${Math.ceil(ms / 60_000)} min`;
}

/**
 * Reads star counts from the GitHub REST API (`GET /repos/{owner}/{repo}`), within its rate limits: when an
 * answer says no requests remain, the next request waits for the reset on the injected clock, or stops with
 * `RateLimitedError` when the reset is further away than `maxWaitMs`. A 403 or 429 carrying rate-limit headers
 * is waited out and retried, never blamed on the repository. Requests go one at a time, as GitHub asks.
 */
export class GitHubClient {
  private readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly http: HttpClient;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly maxWaitMs: number;
  /** No request before this time (epoch ms), as GitHub last told us; null when not limited. */
  private blockedUntil: number | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(options: GitHubClientOptions) {
    this.baseUrl = (options.baseUrl ?? GITHUB_DEFAULT_BASE_URL).replace(/\/+$/, "");
    this.headers = {
      accept: "application/vnd.github+json",
      "x-github-api-version": options.apiVersion ?? "2022-11-28",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    };
    this.http = options.http;
    this.clock = options.clock;
    this.logger = options.logger ?? silentLogger;
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
  }

  /**
   * The star count of `repo`, or `missing` when GitHub answers 404. Throws `RateLimitedError` when the limit
   * resets too late, `ValidationError` for an impossible owner or name, and `SourceError` for other failures.
   */
  fetchStars(repo: GitHubRepo): Promise<StarsResult> {
    const result = this.tail.then(() => this.fetchNow(repo));
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Star counts for many repositories, one request at a time, in order. A repository that cannot be read is
   * yielded as `{repo, error}` and the rest carry on; a rate limit that resets too late, or a failure of the API
   * itself (network, timeouts, 5xx after retries), stops the run with its error.
   */
  async *fetchMany(repos: Iterable<GitHubRepo> | AsyncIterable<GitHubRepo>): AsyncGenerator<StarsOutcome> {
    for await (const repo of repos) {
      try {
        yield await this.fetchStars(repo);
      } catch (error) {
        if (!isRepoFault(error)) throw error;
        const reason = rejectionReason(error);
        this.logger.warn("cannot read a repository's stars", { repo: repoKey(repo), error: reason });
        yield { repo: repoKey(repo), error: reason };
      }
    }
  }

  private async fetchNow(repo: GitHubRepo): Promise<StarsResult> {
    const key = repoKey(repo);
    if (!isValidRepo(repo))
      throw new ValidationError("invalid_record", `not a GitHub repository name: "${key}"`);
    const url = `${this.baseUrl}/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
    for (let refusals = 0; ; ) {
      await this.waitForQuota(url);
      const response = await this.http.get(url, { headers: this.headers, acceptStatus: [403, 404, 429] });
      if (this.noteRateLimit(response)) {
        refusals++;
        if (refusals >= MAX_REFUSALS) {
          throw new RateLimitedError(
            url,
            this.blockedUntil ?? this.clock.now(),
            `refused ${refusals} times in a row`,
          );
        }
        continue;
      }
      if (response.status === 404) return { repo: key, missing: true };
      if (response.status === 403) {
        throw new SourceError("http", url, `HTTP 403 from ${url}: ${messageOf(response.body)}`, 403);
      }
      return this.starsOf(key, response);
    }
  }

  private starsOf(key: string, response: HttpResponse): StarsFound {
    let value: unknown;
    try {
      value = JSON.parse(response.body);
    } catch (error) {
      throw new SourceError(
        "parse",
        response.url,
        `not JSON from ${response.url}: ${rejectionReason(error)}`,
      );
    }
    const parsed = repoSchema.safeParse(value);
    if (!parsed.success) {
      throw new SourceError(
        "parse",
        response.url,
        `unexpected repository from ${response.url}: ${firstIssue(parsed.error)}`,
      );
    }
    const found: StarsFound = {
      repo: key,
      stars: parsed.data.stargazers_count,
      observedAt: toTimestamp(new Date(this.clock.now())),
    };
    if (parsed.data.full_name.toLowerCase() !== key.toLowerCase()) found.movedTo = parsed.data.full_name;
    return found;
  }

  /** Waits until GitHub's last known reset, or throws when that is further away than allowed. */
  private async waitForQuota(url: string): Promise<void> {
    if (this.blockedUntil === null) return;
    const wait = this.blockedUntil - this.clock.now();
    if (wait > this.maxWaitMs) {
      throw new RateLimitedError(
        url,
        this.blockedUntil,
        `waiting ${minutes(wait)} is longer than allowed (${minutes(this.maxWaitMs)})`,
      );
    }
    if (wait > 0) {
      this.logger.info("GitHub rate limit reached, waiting for the reset", { waitMs: wait });
      await this.clock.sleep(wait);
    }
    this.blockedUntil = null;
  }

  /**
   * Reads the rate-limit headers of an answer. Returns true when the answer is itself a rate-limit refusal (to
   * be retried); either way, when no requests remain, the next request waits until the reset.
   */
  private noteRateLimit(response: HttpResponse): boolean {
    const now = this.clock.now();
    const remaining = headerInt(response, "x-ratelimit-remaining");
    const reset = headerInt(response, "x-ratelimit-reset");
    const retryAfter = retryAfterMs(response.headers.get("retry-after"), now);
    const exhausted = remaining === 0 && reset !== null;
    const refused =
      (response.status === 403 || response.status === 429) &&
      (retryAfter !== null ||
        remaining === 0 ||
        response.status === 429 ||
        /rate limit/i.test(messageOf(response.body)));
    if (refused) {
      const until =
        retryAfter !== null ? now + retryAfter : exhausted ? reset * 1000 : now + SECONDARY_LIMIT_WAIT_MS;
      this.blockedUntil = Math.max(until, now + MIN_REFUSAL_WAIT_MS);
      this.logger.warn("GitHub refused a request: rate limited", {
        status: response.status,
        until: toTimestamp(new Date(this.blockedUntil)),
      });
      return true;
    }
    if (exhausted) this.blockedUntil = reset * 1000;
    return false;
  }
}
