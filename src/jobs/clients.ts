import type { SourcesConfig } from "../config/config.ts";
import type { Logger } from "../log.ts";
import type { Clock } from "../net/clock.ts";
import { HttpClient } from "../net/http-client.ts";
import { IntervalLimiter } from "../net/interval-limiter.ts";
import { ArxivApiClient } from "../sources/arxiv/api.ts";
import { OaiHarvester } from "../sources/arxiv/oai.ts";
import { ArxivListingClient } from "../sources/arxiv/rss.ts";
import { GitHubClient } from "../sources/github/client.ts";
import { HfDailyClient } from "../sources/hf/client.ts";

/** The outside sources, configured once per process; every arXiv client shares one rate limiter. */
export interface SourceClients {
  arxivApi: ArxivApiClient;
  arxivListings: ArxivListingClient;
  oai: OaiHarvester;
  hf: HfDailyClient;
  github: GitHubClient;
  arxivLimiter: IntervalLimiter;
}

export function createSourceClients(config: SourcesConfig, clock: Clock, logger: Logger): SourceClients {
  const arxivLimiter = new IntervalLimiter(config.arxivIntervalMs, clock);
  const common = { clock, logger, timeoutMs: config.httpTimeoutMs };
  return {
    arxivLimiter,
    arxivApi: new ArxivApiClient({ ...common, limiter: arxivLimiter, baseUrl: config.arxivApiUrl }),
    arxivListings: new ArxivListingClient({ ...common, limiter: arxivLimiter, baseUrl: config.arxivRssUrl }),
    oai: new OaiHarvester({
      baseUrl: config.arxivOaiUrl,
      http: new HttpClient({ ...common, limiter: arxivLimiter }),
      clock,
      logger,
    }),
    hf: new HfDailyClient({ baseUrl: config.hfUrl, http: new HttpClient(common), logger }),
    github: new GitHubClient({
      baseUrl: config.githubApiUrl,
      ...(config.githubToken ? { token: config.githubToken } : {}),
      http: new HttpClient(common),
      clock,
      logger,
    }),
  };
}
