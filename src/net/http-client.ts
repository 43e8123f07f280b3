import type { Logger } from "../log.ts";
import { silentLogger } from "../log.ts";
import type { Clock } from "./clock.ts";
import { systemClock } from "./clock.ts";
import type { IntervalLimiter } from "./interval-limiter.ts";

export type SourceErrorKind = "http" | "timeout" | "network" | "parse" | "too_large";

/** A source could not be read. `retryable` says whether trying again later may help. */
export class SourceError extends Error {
  readonly kind: SourceErrorKind;
  readonly status: number | null;
  readonly url: string;
  readonly retryable: boolean;

  constructor(kind: SourceErrorKind, url: string, message: string, status: number | null = null) {
    super(message);
    this.name = "SourceError";
    this.kind = kind;
    this.url = url;
    this.status = status;
    this.retryable =
      kind === "timeout" || kind === "network" || (status !== null && (status >= 500 || status === 429));
  }
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: string;
  url: string;
}

/** An answer read as bytes (`getBytes`), for pictures and other binary files. */
export interface HttpBytesResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
  url: string;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "HEAD" | "DELETE";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the second attempt; doubles each time, with jitter, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server's Retry-After longer than this is treated as a failure rather than waited out. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 10 * 60_000,
};

export interface HttpClientOptions {
  userAgent?: string;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  clock?: Clock;
  logger?: Logger;
  /** Requests go through this limiter when given (arXiv's one request per three seconds). */
  limiter?: IntervalLimiter;
  /** For tests: a deterministic stand-in for Math.random in the back-off jitter. */
  random?: () => number;
  /** The largest answer read, in bytes; a larger one is refused. Default 256 MiB (a bulk listing). */
  maxBodyBytes?: number;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /**
   * Statuses returned to the caller as responses instead of raising (e.g. 400 for arXiv's error feed, or every
   * refusal an embedding server explains in its body).
   */
  acceptStatus?: readonly number[] | ((status: number) => boolean);
}

const USER_AGENT = "Paperboy/0.1 (+https://github.com/paperboy; self-hosted research paper reader)";

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds from `now`. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Paperboy's client for the services the operator configured (arXiv, Hugging Face, GitHub, an embedding
 * server): a timeout on every request, retries with exponential back-off and jitter on timeouts, network
 * errors, 429 and 5xx, honouring Retry-After, an optional shared rate limiter, and a cap on the size of an
 * answer. URLs that members type go through `guarded-fetch.ts` instead, which also checks where they point.
 */
export class HttpClient {
  private readonly retry: RetryPolicy;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly random: () => number;
  private readonly maxBodyBytes: number;

  constructor(private readonly options: HttpClientOptions = {}) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.random = options.random ?? Math.random;
    this.maxBodyBytes = options.maxBodyBytes ?? 256 * 1024 * 1024;
  }

  async get(url: string, request: RequestOptions = {}): Promise<HttpResponse> {
    return asText(await this.send("GET", url, null, request));
  }

  /** GET with the answer as bytes (pictures), with the same timeouts, retries and size cap as `get`. */
  async getBytes(url: string, request: RequestOptions = {}): Promise<HttpBytesResponse> {
    return this.send("GET", url, null, request);
  }

  /**
   * Any method with a body of bytes or text, the answer as bytes (an object store's PUT, HEAD, DELETE and
   * ranged GET), with the same timeouts, retries and size cap as `get`.
   */
  async request(
    method: HttpMethod,
    url: string,
    body: string | Uint8Array | null = null,
    request: RequestOptions = {},
  ): Promise<HttpBytesResponse> {
    return this.send(method, url, body, request);
  }

  /** POSTs `body` as JSON, with the same timeouts, retries and limits as `get`. */
  async postJson(url: string, body: unknown, request: RequestOptions = {}): Promise<HttpResponse> {
    return asText(
      await this.send("POST", url, JSON.stringify(body), {
        ...request,
        headers: { "content-type": "application/json", accept: "application/json", ...request.headers },
      }),
    );
  }

  private async send(
    method: HttpMethod,
    url: string,
    body: string | Uint8Array | null,
    request: RequestOptions,
  ): Promise<HttpBytesResponse> {
    const accepted = request.acceptStatus;
    const accepts = (status: number) =>
      typeof accepted === "function" ? accepted(status) : (accepted?.includes(status) ?? false);
    for (let attempt = 1; ; attempt++) {
      let failure: SourceError;
      let retryAfter: number | null = null;
      try {
        const response = await this.once(method, url, body, request);
        if (response.status < 400 || accepts(response.status)) return response;
        failure = new SourceError("http", url, `HTTP ${response.status} from ${url}`, response.status);
        retryAfter = retryAfterMs(response.headers.get("retry-after"), this.clock.now());
      } catch (error) {
        if (!(error instanceof SourceError)) throw error;
        failure = error;
      }
      if (!failure.retryable || attempt >= this.retry.attempts) throw failure;
      if (retryAfter !== null && retryAfter > this.retry.maxRetryAfterMs) {
        throw new SourceError(
          "http",
          url,
          `${failure.message}: asked to retry after ${Math.round(retryAfter / 1000)}s, longer than allowed`,
          failure.status,
        );
      }
      const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
      const wait = retryAfter ?? backoff * (0.5 + this.random() / 2);
      this.logger.warn("outbound request failed, retrying", {
        url,
        attempt,
        error: failure.message,
        retryInMs: Math.round(wait),
      });
      await this.clock.sleep(wait);
    }
  }

  private async once(
    method: HttpMethod,
    url: string,
    body: string | Uint8Array | null,
    request: RequestOptions,
  ): Promise<HttpBytesResponse> {
    const send = async (): Promise<HttpBytesResponse> => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.timeoutMs);
      try {
        const response = await fetch(url, {
          method,
          headers: { "user-agent": this.options.userAgent ?? USER_AGENT, ...request.headers },
          ...(body === null ? {} : { body }),
          signal: controller.signal,
          redirect: "follow",
        });
        const bytes = await readCapped(response, this.maxBodyBytes, url);
        return { status: response.status, headers: response.headers, body: bytes, url: response.url || url };
      } catch (error) {
        if (error instanceof SourceError) throw error;
        if (controller.signal.aborted) {
          throw new SourceError("timeout", url, `no answer from ${url} within ${this.timeoutMs} ms`);
        }
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new SourceError(
          "network",
          url,
          `cannot reach ${url}: ${cause?.code ?? cause?.message ?? String(error)}`,
        );
      } finally {
        clearTimeout(timer);
      }
    };
    return this.options.limiter ? this.options.limiter.run(send) : send();
  }
}

function asText(response: HttpBytesResponse): HttpResponse {
  return { ...response, body: Buffer.from(response.body).toString("utf8") };
}

/** The body, refusing (and cancelling) one larger than `limit` bytes. */
async function readCapped(response: Response, limit: number, url: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    throw tooLarge(url, limit);
  }
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) {
      await response.body.cancel().catch(() => undefined);
      throw tooLarge(url, limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(url: string, limit: number): SourceError {
  return new SourceError("too_large", url, `the answer from ${url} is larger than ${limit} bytes`);
}
