import { Hono } from "hono";
import { cors } from "hono/cors";
import type { AppDeps, AppEnv } from "../env.ts";
import { communityApiRoutes } from "./community-routes.ts";
import { ApiError } from "./errors.ts";
import { hfRoutes } from "./hf-routes.ts";
import { libraryApiRoutes } from "./library-routes.ts";
import { openApiDocument } from "./openapi.ts";
import { ownRoutes } from "./own-routes.ts";
import { recommendApiRoutes } from "./recommend-routes.ts";
import type { ApiRoute } from "./route.ts";
import { subscriptionApiRoutes } from "./subscription-routes.ts";

/**
 * Every documented operation, in matching order: `/papers/:id{.+}` (last of the Hugging Face routes) would
 * swallow `/papers/:id/similar` and `/papers/:id/comments`, so Paperboy's own routes come first.
 */
export function apiRouteTable(deps: AppDeps): ApiRoute[] {
  return [
    ...ownRoutes(deps),
    ...libraryApiRoutes(deps),
    ...recommendApiRoutes(deps),
    ...subscriptionApiRoutes(deps),
    ...communityApiRoutes(deps),
    ...hfRoutes(deps),
  ];
}

/** The JSON API (Hugging Face shaped, plus Paperboy's own), mounted at /api; its errors go to the app's handler. */
export function apiRoutes(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const routes = apiRouteTable(deps);
  // Reading is open to any origin (no credentials), so browser clients elsewhere can use the API.
  api.use(
    "*",
    cors({
      origin: "*",
      allowMethods: ["GET", "HEAD", "OPTIONS"],
      exposeHeaders: ["X-Total-Count", "X-Request-Id"],
    }),
  );

  api.get("/openapi.json", (c) =>
    c.json(openApiDocument(routes, `${deps.config.web.baseUrl.replace(/\/+$/, "")}/api`)),
  );
  for (const route of routes) {
    api.on(route.method.toUpperCase(), route.path, (c) => route.handle(c));
  }
  api.all("*", () => {
    throw new ApiError("not_found", "no such API endpoint; see /api/openapi.json");
  });
  return api;
}
