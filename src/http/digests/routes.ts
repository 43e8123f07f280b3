import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../env.ts";
import { memberDigestRoutes } from "./member-routes.tsx";
import { publicDigestRoutes } from "./public-routes.tsx";

export { oneClickRoutes } from "./public-routes.tsx";

/** Subscribe, confirm, unsubscribe page; members' digest settings, preview, "For you" and /api/for-you. */
export function digestRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route("/", publicDigestRoutes(deps));
  app.route("/", memberDigestRoutes(deps));
  return app;
}
