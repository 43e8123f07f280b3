import { Hono, type MiddlewareHandler } from "hono";
import type { AppDeps, AppEnv } from "../env.ts";

/** Reads the session cookie (or API token) and sets `user` and `csrf` for every request. */
export function sessionMiddleware(_deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("user", null);
    c.set("csrf", "");
    c.set("apiToken", false);
    await next();
  };
}

/** Sign up, sign in, sign out, verification, password reset, settings, admin actions on users. */
export function accountRoutes(_deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
