import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { accountRoutes, sessionMiddleware } from "./accounts/routes.tsx";
import { apiRoutes } from "./api/routes.ts";
import { clientAddress } from "./client-address.ts";
import { communityRoutes } from "./community/routes.tsx";
import { digestRoutes, oneClickRoutes } from "./digests/routes.ts";
import type { AppDeps, AppEnv } from "./env.ts";
import { errorHandler } from "./errors.ts";
import { countRequests } from "./feeds/metrics.ts";
import { feedRoutes } from "./feeds/routes.ts";
import { pageCache } from "./page-cache.ts";
import { pageRoutes } from "./pages/routes.tsx";
import { recommendRoutes, thumbLinkRoutes } from "./recommend/routes.tsx";
import { assignRequestId } from "./request-id.ts";

export type { AppDeps, AppEnv };

/**
 * The whole site as one Hono app: pages, accounts, community actions, the JSON API and feeds. Served by
 * `paperboy serve` (server.ts) and called in-process by the route tests (`app.request(...)`).
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const https = deps.config.web.baseUrl.startsWith("https:");
  // The one error handler: no sub-app has its own, so every route's errors come here (errors.ts).
  app.onError(errorHandler(deps));
  app.use("*", assignRequestId);
  app.use("*", clientAddress(deps.config.security.trustedProxies));
  app.use("*", async (c, next) => {
    const started = performance.now();
    await next();
    c.header("Server-Timing", `app;dur=${(performance.now() - started).toFixed(2)}`);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "same-origin");
    c.header(
      "Permissions-Policy",
      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    );
    // Only a site readers reach over https can promise to stay there.
    if (https) c.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    if (!c.res.headers.has("Content-Security-Policy")) {
      c.header(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'",
      );
    }
  });
  app.use("*", countRequests(deps));
  // No form or API call needs more than a long comment; anything larger is refused before it is read.
  const limitBody = bodyLimit({
    maxSize: 256 * 1024,
    onError: (c) => c.text("request body too large (at most 256 KB)", 413),
  });
  app.use("*", (c, next) =>
    c.req.method === "GET" || c.req.method === "HEAD" ? next() : limitBody(c, next),
  );
  // RFC 8058 one-click unsubscribe: a mail client's POST with no cookie or CSRF token, authorised by the
  // signed token in its URL; it must answer before the session middleware's CSRF check.
  app.route("/", oneClickRoutes(deps));
  // The same for a digest's signed thumbs link (recommend/routes.tsx).
  app.route("/", thumbLinkRoutes(deps));
  app.use("*", pageCache(deps));
  app.use("*", sessionMiddleware(deps));
  app.route("/", digestRoutes(deps));
  app.route("/", recommendRoutes(deps));
  app.route("/api", apiRoutes(deps));
  app.route("/", feedRoutes(deps));
  app.route("/", accountRoutes(deps));
  app.route("/", communityRoutes(deps));
  app.route("/", pageRoutes(deps));
  return app;
}
