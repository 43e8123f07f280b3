import type { Config } from "../config/config.ts";
import { createSourceClients, type SourceClients } from "../jobs/clients.ts";
import type { Logger } from "../log.ts";
import { createMailer } from "../mail/index.ts";
import { systemClock } from "../net/clock.ts";
import { createSearchService } from "../search/service/index.ts";
import { openStore } from "../store/open.ts";
import type { AppDeps } from "./env.ts";
import { loadSecret } from "./secret.ts";

/** The web app's dependencies and how to release them when the server stops. */
export interface OpenedDeps {
  deps: AppDeps;
  close(): Promise<void>;
}

/**
 * Builds everything the web app needs from the configuration, the way `paperboy serve` runs it: opens (and
 * migrates) the store, the search service on `<dataDir>/search/`, the mailer (SMTP or the dev outbox), the
 * arXiv client for submissions (from `options.clients` when the process shares them with its worker, so one
 * arXiv rate limit holds), and the secret.
 */
export async function openAppDeps(
  config: Config,
  logger: Logger,
  options: { clients?: SourceClients } = {},
): Promise<OpenedDeps> {
  const store = await openStore(config.db, { logger });
  try {
    const mailer = createMailer(config, logger);
    const deps: AppDeps = {
      config,
      store,
      search: createSearchService({
        store,
        dataDir: config.dataDir,
        embedder: config.search.embedder,
        buildStore: config.search.buildStore,
        rebuildGrowth: config.search.rebuildGrowth,
        rebuildDrift: config.search.rebuildDrift,
        logger,
      }),
      mailer,
      logger,
      arxiv: (options.clients ?? createSourceClients(config.sources, systemClock, logger)).arxivApi,
      secret: loadSecret(config),
      now: () => new Date(),
    };
    return {
      deps,
      async close() {
        await mailer.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
