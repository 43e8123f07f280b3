import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../env.ts";
import { mountComments } from "./comments.tsx";
import { mountLibrary } from "./library.tsx";
import { mountLibraryIo } from "./library-io.tsx";
import { mountModeration } from "./moderation.tsx";
import { mountSubmit } from "./submit.tsx";
import { mountVotes } from "./votes.ts";

/**
 * Votes, comments, library, submissions and moderation. Every POST has passed the CSRF check of
 * `sessionMiddleware` before it gets here; each route then asks for the role it needs (member, verified
 * member, admin).
 */
export function communityRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  mountVotes(app, deps);
  mountComments(app, deps);
  mountLibraryIo(app, deps);
  mountLibrary(app, deps);
  mountSubmit(app, deps);
  mountModeration(app, deps);
  return app;
}
