import type { Logger } from "../../log.ts";
import { silentLogger } from "../../log.ts";
import { type Clock, systemClock } from "../../sources/clock.ts";
import {
  DEFAULT_RETRY,
  type HttpResponse,
  type RetryPolicy,
  retryAfterMs,
  SourceError,
} from "../../sources/http.ts";

export interface PostOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  clock?: Clock;
  logger?: Logger;
  /** For tests: a deterministic stand-in for Math.random in the back-off jitter. */
  random?: () => number;
}

/**
 * POSTs a JSON body, with the sources' HTTP policy (`src/sources/http.ts`: its SourceError, RetryPolicy and
 * Retry-After parsing): a timeout per attempt, retries with exponential back-off and jitter on timeouts,
 * network errors, 429 and 5xx. `HttpClient` only GETs; embedding servers are POSTed to. Other 4xx answers are
 * returned to the caller, which knows what the server's error body means.
 */
export async function postJson(url: string, body: unknown, options: PostOptions = {}): Promise<HttpResponse> {
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const random = options.random ?? Math.random;
  const payload = JSON.stringify(body);
  for (let attempt = 1; ; attempt++) {
    let failure: SourceError;
    let retryAfter: number | null = null;
    try {
      const response = await postOnce(url, payload, options.headers ?? {}, options.timeoutMs ?? 60_000);
      if (response.status < 500 && response.status !== 429) return response;
      failure = new SourceError("http", url, `HTTP ${response.status} from ${url}`, response.status);
      retryAfter = retryAfterMs(response.headers.get("retry-after"), clock.now());
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      failure = error;
    }
    if (attempt >= retry.attempts) throw failure;
    if (retryAfter !== null && retryAfter > retry.maxRetryAfterMs) {
      throw new SourceError(
        "http",
        url,
        `${failure.message}: asked to retry after ${Math.round(retryAfter / 1000)}s, longer than allowed`,
        failure.status,
      );
    }
    const backoff = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
    const wait = retryAfter ?? backoff * (0.5 + random() / 2);
    logger.warn("embedding request failed, retrying", {
      url,
      attempt,
      error: failure.message,
      retryInMs: Math.round(wait),
    });
    await clock.sleep(wait);
  }
}

async function postOnce(
  url: string,
  payload: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<HttpResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body: payload,
      signal: controller.signal,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text, url: response.url || url };
  } catch (error) {
    if (controller.signal.aborted)
      throw new SourceError("timeout", url, `no answer from ${url} within ${timeoutMs} ms`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new SourceError(
      "network",
      url,
      `cannot reach ${url}: ${cause?.code ?? cause?.message ?? String(error)}`,
    );
  } finally {
    clearTimeout(timer);
  }
}
