import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../env.ts";

/** Home (day, week, month), trending, paper, author, category, search and about pages. */
export function pageRoutes(_deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
