import { Hono } from "hono";
import { describeError, parseIsoDate } from "../../core/index.ts";
import { parsePeriodKey } from "../../store/listings/index.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import { staticRoutes } from "../static/assets.ts";
import { aboutPage } from "./about.tsx";
import { authorPage, categoryPage } from "./browse.tsx";
import { periodPage, periodPath } from "./listing.tsx";
import { paperPage } from "./paper.tsx";
import { searchPage } from "./search.tsx";
import { createSite } from "./site.tsx";
import { trendingPage } from "./trending.tsx";

/** Paths this module serves with GET; any other method on them is a 405 naming the allowed ones. */
const PAGE_PATHS = [
  "/",
  "/day",
  "/day/:date",
  "/week",
  "/month",
  "/week/:week",
  "/month/:month",
  "/trending",
  "/papers/*",
  "/authors/:name",
  "/categories/:category",
  "/search",
  "/about",
];

/** Prefixes whose own modules answer unknown paths in their format (JSON, XML), not with an HTML page. */
const NOT_OURS = ["/api/", "/feeds/"];

/** Home (day, week, month), trending, paper, author, category, search and about pages. */
export function pageRoutes(deps: AppDeps): Hono<AppEnv> {
  const site = createSite(deps);
  const app = new Hono<AppEnv>();
  app.route("/", staticRoutes());

  app.get("/", (c) => periodPage(site, c, "day", null));
  // The day picker's form submits here (`/day?date=2024-05-27`).
  app.get("/day", async (c) => {
    const date = c.req.query("date");
    if (!date) return c.redirect("/", 302);
    try {
      return c.redirect(`/day/${parseIsoDate(date)}`, 302);
    } catch (error) {
      return site.problem(c, { status: 400, title: "Bad date", message: describeError(error) });
    }
  });
  // The week and month pickers' forms (`/week?week=2024-W22`, `/month?month=2024-05`).
  for (const kind of ["week", "month"] as const) {
    app.get(`/${kind}`, async (c) => {
      const key = c.req.query(kind);
      if (!key) return c.redirect("/", 302);
      try {
        parsePeriodKey(kind, key);
        return c.redirect(periodPath(kind, encodeURIComponent(key)), 302);
      } catch (error) {
        return site.problem(c, { status: 400, title: `Bad ${kind}`, message: describeError(error) });
      }
    });
  }
  app.get("/day/:date", (c) => periodPage(site, c, "day", c.req.param("date")));
  app.get("/week/:week", (c) => periodPage(site, c, "week", c.req.param("week")));
  app.get("/month/:month", (c) => periodPage(site, c, "month", c.req.param("month")));
  app.get("/trending", (c) => trendingPage(site, c));
  app.get("/papers/*", (c) => paperPage(site, c));
  app.get("/authors/:name", (c) => authorPage(site, c));
  app.get("/categories/:category", (c) => categoryPage(site, c));
  app.get("/search", (c) => searchPage(site, c));
  app.get("/about", (c) => aboutPage(site, c));

  app.on(["POST", "PUT", "PATCH", "DELETE"], PAGE_PATHS, (c) => {
    c.header("Allow", "GET, HEAD");
    return site.problem(c, {
      status: 405,
      title: "Method not allowed",
      message: `${c.req.method} is not allowed here; this page can only be read (GET).`,
    });
  });

  app.all("*", async (c, next) => {
    const path = c.req.path;
    if (NOT_OURS.some((prefix) => path.startsWith(prefix))) return next();
    // `/about/` → `/about`; never to `//host` (that would send the reader to another site).
    const trimmed = path.replace(/\/+$/, "");
    if (c.req.method === "GET" && trimmed !== path && /^\/[^/\\]/.test(trimmed)) {
      const query = new URL(c.req.url).search;
      return c.redirect(`${trimmed}${query}`, 301);
    }
    return site.problem(c, {
      status: 404,
      title: "Page not found",
      message: "There is nothing at this address.",
    });
  });
  return app;
}
