import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../env.ts";
import { adminRoutes } from "./admin-routes.tsx";
import { authRoutes } from "./auth-routes.tsx";
import { importRoutes } from "./import-routes.tsx";
import { outboxRoutes } from "./outbox-routes.tsx";
import { resetRoutes } from "./reset-routes.tsx";
import { settingsRoutes } from "./settings-routes.tsx";

export { ADMIN_IMPORT_MAX_BYTES, isAdminUpload, uploadTooLarge } from "./import-routes.tsx";
export { requireAdmin, requireUser, requireVerified, sessionMiddleware } from "./session.ts";

/**
 * Sign up, sign in, sign out, verification, password reset, settings, admin actions on users, the admin's
 * file import, dev outbox.
 */
export function accountRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route("/", authRoutes(deps));
  app.route("/", resetRoutes(deps));
  app.route("/", settingsRoutes(deps));
  app.route("/", adminRoutes(deps));
  app.route("/", importRoutes(deps));
  app.route("/", outboxRoutes(deps));
  return app;
}
