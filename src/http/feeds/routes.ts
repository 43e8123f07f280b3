import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { describeError, parseCategory } from "../../core/index.ts";
import { DEFAULT_QUERY_LIMITS } from "../../core/search-query.ts";
import { tokensMatch } from "../csrf.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import { isRefusal, statusOf } from "../errors.ts";
import { renderAtom } from "./atom.ts";
import { renderMetrics } from "./metrics.ts";
import type { FeedFormat } from "./model.ts";
import { renderPreview, wantsPreview } from "./preview.tsx";
import { renderRss } from "./rss.ts";
import {
  authorFeed,
  categoryFeed,
  dailyFeed,
  type FeedWithoutSelf,
  searchFeed,
  trendingFeed,
} from "./sources.ts";

const CONTENT_TYPE: Record<FeedFormat, string> = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
};

/** `cs.LG.atom` → name `cs.LG`, format atom; no extension means RSS. */
function splitFormat(file: string): { name: string; format: FeedFormat } {
  const m = /^(.*)\.(rss|atom)$/.exec(file);
  return m ? { name: m[1] ?? "", format: m[2] as FeedFormat } : { name: file, format: "rss" };
}

function plainError(c: Context<AppEnv>, status: ContentfulStatusCode, message: string): Response {
  return c.text(message, status);
}

/** RSS 2.0 and Atom feeds, /health and /metrics. */
export function feedRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const base = deps.config.web.baseUrl.replace(/\/+$/, "");

  /** Writes a feed in the asked format, with its own address as the self link. */
  async function serve(
    c: Context<AppEnv>,
    format: FeedFormat,
    selfPath: string,
    build: () => Promise<FeedWithoutSelf>,
  ): Promise<Response> {
    let feed: FeedWithoutSelf;
    try {
      feed = await build();
    } catch (error) {
      // A refused request is told so in plain text, like the feeds' other refusals; a fault goes to the app's
      // error handler, which logs it.
      if (!isRefusal(error)) throw error;
      return plainError(c, statusOf(error.code), error.message);
    }
    const full = { ...feed, selfUrl: `${base}${selfPath}` };
    // Browsers and feed readers ask the same URL; the answer depends on what they accept.
    c.header("Vary", "Accept");
    if (wantsPreview(c)) return renderPreview(c, base, full, format, selfPath);
    c.header("Content-Type", CONTENT_TYPE[format]);
    c.header("Cache-Control", "public, max-age=300");
    return c.body(format === "rss" ? renderRss(full) : renderAtom(full));
  }

  app.get("/feeds/category/:file", (c) => {
    const { name, format } = splitFormat(c.req.param("file"));
    let category: ReturnType<typeof parseCategory>;
    try {
      category = parseCategory(name);
    } catch (error) {
      return plainError(c, 400, describeError(error));
    }
    return serve(c, format, `/feeds/category/${encodeURIComponent(category)}.${format}`, () =>
      categoryFeed(deps, category),
    );
  });

  app.get("/feeds/author/:file", (c) => {
    const { name, format } = splitFormat(c.req.param("file"));
    const author = name.trim();
    if (author === "" || author.length > 200)
      return plainError(c, 400, "an author name of 1 to 200 characters");
    return serve(c, format, `/feeds/author/${encodeURIComponent(author)}.${format}`, () =>
      authorFeed(deps, author),
    );
  });

  app.get("/feeds/:file", (c) => {
    const { name, format } = splitFormat(c.req.param("file"));
    if (name === "daily") return serve(c, format, `/feeds/daily.${format}`, () => dailyFeed(deps));
    if (name === "trending") return serve(c, format, `/feeds/trending.${format}`, () => trendingFeed(deps));
    if (name === "search") {
      // Only what the query parser reads is kept, so an over-long query neither fails nor makes a long cache key.
      // (Never half an emoji at the cut: encodeURIComponent refuses a lone surrogate.)
      const q = (c.req.query("q") ?? "")
        .trim()
        .slice(0, DEFAULT_QUERY_LIMITS.maxChars)
        .replace(/[\ud800-\udbff]$/, "")
        .trim();
      if (q === "") return plainError(c, 400, "a search feed needs q");
      return serve(c, format, `/feeds/search.${format}?q=${encodeURIComponent(q)}`, () =>
        searchFeed(deps, q),
      );
    }
    return plainError(
      c,
      404,
      "no such feed: try /feeds/daily.rss, /feeds/trending.atom or /feeds/search.rss?q=",
    );
  });

  app.get("/health", async (c) => {
    try {
      const latestDay = await deps.store.listings.latestDay();
      return c.json({ status: "ok", store: { dialect: deps.store.dialect, reachable: true }, latestDay });
    } catch (error) {
      deps.logger.error("health check failed", { error: describeError(error) });
      return c.json({ status: "error", store: { dialect: deps.store.dialect, reachable: false } }, 503);
    }
  });

  const metricsToken = deps.config.security.metricsToken;
  app.get("/metrics", async (c) => {
    if (metricsToken !== null) {
      const given = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
      if (!tokensMatch(given, metricsToken)) {
        c.header("WWW-Authenticate", 'Bearer realm="metrics"');
        return plainError(c, 401, "metrics need the token set in PAPERBOY_METRICS_TOKEN");
      }
    }
    try {
      const text = await renderMetrics(deps);
      c.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      return c.body(text);
    } catch (error) {
      deps.logger.error("metrics failed", { error: describeError(error) });
      return plainError(c, 503, "store unreachable");
    }
  });

  app.on(["POST", "PUT", "PATCH", "DELETE"], ["/feeds/*", "/health", "/metrics"], (c) => {
    c.header("Allow", "GET, HEAD");
    return c.text("read-only: use GET", 405);
  });
  app.all("/feeds/*", (c) => plainError(c, 404, "no such feed"));

  return app;
}
