import type { Config } from "../config/config.ts";
import type { Logger } from "../log.ts";
import type { Mailer } from "../mail/mailer.ts";
import type { SearchService } from "../search/service/index.ts";
import type { ArxivApiClient } from "../sources/arxiv/api.ts";
import type { ApiScope } from "../store/accounts/index.ts";
import type { Store } from "../store/store.ts";

/** The signed-in reader, as every route sees it (`c.get("user")`); null for visitors. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: "member" | "admin";
  verified: boolean;
}

/** Everything the web app needs, passed in (tests build it with fakes on loopback and a real store). */
export interface AppDeps {
  config: Config;
  store: Store;
  search: SearchService;
  mailer: Mailer;
  logger: Logger;
  /** Fetches submitted papers; null where the operator runs offline (submissions are then refused). */
  arxiv: ArxivApiClient | null;
  /** Signs cookies, CSRF tokens and mailed links. */
  secret: string;
  /** The clock (tests move it). */
  now(): Date;
}

/** Hono's per-request variables. */
export interface AppEnv {
  Variables: {
    user: SessionUser | null;
    /** The session's CSRF token, to put in every form (`<input name="_csrf">`). */
    csrf: string;
    /** Set when the request authenticated with an API token rather than a cookie. */
    apiToken: boolean;
    /** What that API token may do; null for cookie sessions and visitors. */
    apiScope: ApiScope | null;
    /** The client's address, read through trusted proxies (client-address.ts). */
    clientIp: string;
    /** Names this request in logs and in the `X-Request-Id` response header (request-id.ts). */
    requestId: string;
  };
}
