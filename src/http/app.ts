import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { LibraryFileTooLarge } from "../jobs/library-import.ts";
import { MAX_LIBRARY_FILE_BYTES } from "../sources/library/index.ts";
import {
  ADMIN_IMPORT_MAX_BYTES,
  accountRoutes,
  isAdminUpload,
  sessionMiddleware,
  uploadTooLarge,
} from "./accounts/routes.tsx";
import { apiRoutes } from "./api/routes.ts";
import { clientAddress } from "./client-address.ts";
import { communityRoutes } from "./community/routes.tsx";
import { compress } from "./compress.ts";
import { digestRoutes, oneClickRoutes } from "./digests/routes.ts";
import type { AppDeps, AppEnv } from "./env.ts";
import { errorHandler } from "./errors.ts";
import { countRequests } from "./feeds/metrics.ts";
import { feedRoutes } from "./feeds/routes.ts";
import { mediaRoutes } from "./media/routes.ts";
import { pageCache } from "./page-cache.ts";
import { pageRoutes } from "./pages/routes.tsx";
import { recommendRoutes, thumbLinkRoutes } from "./recommend/routes.tsx";
import { assignRequestId } from "./request-id.ts";

/** The routes that take a library file (up to `MAX_LIBRARY_FILE_BYTES`) instead of a small form. */
const FILE_UPLOADS = new Set(["/library/import", "/api/library/import"]);

export type { AppDeps, AppEnv };

/**
 * The whole site as one Hono app: pages, accounts, community actions, the JSON API and feeds. Served by
 * `paperboy serve` (server.ts) and called in-process by the route tests (`app.request(...)`).
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const https = deps.config.web.baseUrl.startsWith("https:");
  // Pictures come from this site unless the operator chose to link the source's (PAPERBOY_IMAGES=source).
  const { images } = deps.config;
  const imgSrc =
    images.mode === "source"
      ? ["'self'", "data:", ...images.hosts.map((h) => `https://${h}`)].join(" ")
      : "'self' data:";
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
        `default-src 'self'; img-src ${imgSrc}; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'`,
      );
    }
  });
  app.use("*", countRequests(deps));
  // Outside the page cache, so cached pages are compressed for each client's Accept-Encoding too.
  app.use("*", compress());
  // No form or API call needs more than a long comment; anything larger is refused before it is read. The
  // one exception is an admin's upload to the import form, which has its own limit.
  const limitBody = bodyLimit({
    maxSize: 256 * 1024,
    onError: (c) => c.text("request body too large (at most 256 KB)", 413),
  });
  const limitUpload = bodyLimit({ maxSize: ADMIN_IMPORT_MAX_BYTES, onError: uploadTooLarge });
  // Library files (import on the page and the API) may be up to 5 MiB, plus a form's framing.
  const limitFile = bodyLimit({
    maxSize: MAX_LIBRARY_FILE_BYTES + 64 * 1024,
    onError: () => {
      throw new LibraryFileTooLarge(null);
    },
  });
  app.use("*", async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    if (FILE_UPLOADS.has(c.req.path)) return limitFile(c, next);
    return (await isAdminUpload(c, deps)) ? limitUpload(c, next) : limitBody(c, next);
  });
  // RFC 8058 one-click unsubscribe: a mail client's POST with no cookie or CSRF token, authorised by the
  // signed token in its URL; it must answer before the session middleware's CSRF check.
  app.route("/", oneClickRoutes(deps));
  // Pictures need no session; before it, so they set no cookie.
  app.route("/", mediaRoutes(deps));
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
