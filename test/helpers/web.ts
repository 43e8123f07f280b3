import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { loadConfig } from "../../src/config/config.ts";
import { createApp } from "../../src/http/app.ts";
import { signedOutToken } from "../../src/http/csrf.ts";
import type { AppDeps, AppEnv } from "../../src/http/env.ts";
import { silentLogger } from "../../src/log.ts";
import type { Mailer, MailMessage } from "../../src/mail/mailer.ts";
import { createSearchService, type SearchService } from "../../src/search/service/index.ts";
import type { Store } from "../../src/store/store.ts";

/** A secret long enough for the config rules; fixed so signed values are reproducible across a test file. */
export const TEST_SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

/** The whole web app on a real store, with mail captured and the clock in the test's hands. */
export interface TestApp {
  app: Hono<AppEnv>;
  deps: AppDeps;
  /** Every message the app sent, oldest first. */
  outbox: MailMessage[];
  /** Moves the app's clock (`deps.now()`). */
  setNow(date: Date | string): void;
  /** `app.request` with the site's base URL, so absolute links and cookies behave as in production. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /**
   * Headers of a signed-out browser that has loaded a form: its anonymous cookie and the matching CSRF token,
   * so an unsafe request gets past the CSRF check and reaches the route.
   */
  signedOutHeaders(): Record<string, string>;
  /** Removes the temporary data directory. Call it in `after`. */
  close(): void;
}

/**
 * Keyword search straight on the store (`store.search`), without the search service's engine: for tests that
 * want only the store's ranking. `createTestApp` uses the real service unless told otherwise.
 */
export function storeKeywordSearch(store: Store): SearchService {
  return {
    async search(query) {
      const perPage = query.perPage ?? 20;
      const page = query.page ?? 1;
      const request = {
        filters: query.filters ?? {},
        sort: query.sort ?? "relevance",
        offset: (page - 1) * perPage,
        limit: perPage,
      };
      const result = query.q.trim()
        ? await store.search.search({ ...request, text: query.q })
        : await store.search.filter(request);
      return {
        ...result,
        page,
        perPage,
        mode: "keyword",
        filters: request.filters,
        suggestion: null,
        correctedFrom: null,
        typedHasResults: false,
        author: null,
      };
    },
    async similar() {
      return [];
    },
    async status() {
      return { engine: null, storePapers: (await store.stats()).papers, stale: true };
    },
  };
}

/** Data directories of apps whose test forgot `close()`: removed when the test process exits. */
const leftovers = new Set<string>();
process.once("exit", () => {
  for (const dir of leftovers) rmSync(dir, { recursive: true, force: true });
});

/** Captures mail instead of sending it, so tests can read what a reader would get. */
export function createRecordingMailer(outbox: MailMessage[]): Mailer {
  let count = 0;
  return {
    async send(message) {
      outbox.push(message);
      count += 1;
      return { messageId: `<test-${count}@paperboy.test>` };
    },
    async close() {},
  };
}

/**
 * Builds the app the way `paperboy serve` does (the product's search service, which uses the store's keyword
 * search until an engine is built under the temporary data directory), on `store` (a real SQLite or PostgreSQL store from
 * `createTestDatabase`), offline (no arXiv client) and silent. `overrides` replace any dependency, e.g. a
 * search service, an arXiv client pointed at a fake server, or a config with other settings.
 */
export function createTestApp(store: Store, overrides: Partial<AppDeps> = {}): TestApp {
  const dataDir = mkdtempSync(join(tmpdir(), "paperboy-web-"));
  leftovers.add(dataDir);
  const outbox: MailMessage[] = [];
  let now = new Date("2024-06-01T12:00:00Z");
  const config = loadConfig({
    PAPERBOY_DB: join(dataDir, "unused.db"),
    PAPERBOY_DATA_DIR: dataDir,
    PAPERBOY_BASE_URL: "http://paperboy.test",
    PAPERBOY_SECRET: TEST_SECRET,
    PAPERBOY_LOG_LEVEL: "silent",
  });
  const deps: AppDeps = {
    config,
    store,
    search: createSearchService({ store, dataDir, logger: silentLogger }),
    mailer: createRecordingMailer(outbox),
    logger: silentLogger,
    arxiv: null,
    secret: TEST_SECRET,
    now: () => now,
    ...overrides,
  };
  const app = createApp(deps);
  return {
    app,
    deps,
    outbox,
    setNow(date) {
      now = typeof date === "string" ? new Date(date) : date;
    },
    async request(path, init) {
      return await app.request(new URL(path, config.web.baseUrl).toString(), init);
    },
    signedOutHeaders() {
      const anonId = "test-anon-id-0123456789".slice(0, 22);
      return { Cookie: `pb_anon=${anonId}`, "X-CSRF-Token": signedOutToken(TEST_SECRET, anonId) };
    },
    close() {
      rmSync(dataDir, { recursive: true, force: true });
      leftovers.delete(dataDir);
    },
  };
}
