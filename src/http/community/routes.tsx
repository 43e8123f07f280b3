import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../env.ts";

/** Votes, comments, library, submissions. */
export function communityRoutes(_deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
