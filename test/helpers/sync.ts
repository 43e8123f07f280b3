import { loadConfig } from "../../src/config/config.ts";
import { createSourceClients } from "../../src/jobs/clients.ts";
import type { SyncContext } from "../../src/jobs/sync-context.ts";
import { silentLogger } from "../../src/log.ts";
import { ManualClock } from "../../src/net/clock.ts";
import type { Store } from "../../src/store/store.ts";

/** Source URLs for a test: every source points at a fake (or at a closed port, so nothing leaks out). */
export interface FakeUrls {
  hf?: string;
  arxivApi?: string;
  oai?: string;
  rss?: string;
  github?: string;
}

const NOWHERE = "http://127.0.0.1:9";

export function testEnv(urls: FakeUrls): Record<string, string> {
  return {
    PAPERBOY_HF_URL: urls.hf ?? NOWHERE,
    PAPERBOY_ARXIV_API_URL: urls.arxivApi ?? NOWHERE,
    PAPERBOY_ARXIV_OAI_URL: urls.oai ?? NOWHERE,
    PAPERBOY_ARXIV_RSS_URL: urls.rss ?? NOWHERE,
    PAPERBOY_GITHUB_API_URL: urls.github ?? NOWHERE,
    PAPERBOY_HTTP_TIMEOUT: "2s",
  };
}

/** A sync context on `store` whose clients talk to the fakes, on a clock that moves only when slept on. */
export function testSyncContext(store: Store, urls: FakeUrls, clock = new ManualClock()): SyncContext {
  const config = loadConfig(testEnv(urls));
  return {
    store,
    clients: createSourceClients(config.sources, clock, silentLogger),
    clock,
    logger: silentLogger,
  };
}
