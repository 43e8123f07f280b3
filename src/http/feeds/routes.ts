import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../env.ts";

/** RSS 2.0 and Atom feeds, /health and /metrics. */
export function feedRoutes(_deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
