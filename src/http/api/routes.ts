import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../env.ts";

/** The JSON API (Hugging Face shaped, plus Paperboy's own), mounted at /api. */
export function apiRoutes(_deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
