import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../env.ts";
import { followRoutes } from "./follow-routes.tsx";
import { memberDigestRoutes } from "./member-routes.tsx";
import { publicDigestRoutes } from "./public-routes.tsx";

export { oneClickRoutes } from "./public-routes.tsx";

/**
 * Subscribe, confirm, unsubscribe page; members' digest settings, preview, "For you" and /api/for-you;
 * following authors, categories and searches.
 */
export function digestRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route("/", publicDigestRoutes(deps));
  app.route("/", memberDigestRoutes(deps));
  app.route("/", followRoutes(deps));
  return app;
}
