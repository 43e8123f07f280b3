import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../env.ts";

/** `/images/<sha256>.<ext>`: the only names the worker gives the pictures it keeps. */
const NAME = /^([0-9a-f]{64})\.(png|jpg|gif|webp)$/;

/**
 * Serves the pictures the worker fetched (`fetch-images`) from this site, so readers' browsers never call a
 * third party. A name is the hash of its bytes, so an answer never changes and browsers keep it for a year.
 */
export function mediaRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/images/:name", async (c) => {
    const match = NAME.exec(c.req.param("name"));
    const found = match?.[1] && match[2] ? await deps.store.media.image(match[1], match[2]) : null;
    if (!found) {
      c.header("Cache-Control", "no-store");
      return c.text("no such picture", 404);
    }
    c.header("Content-Type", found.contentType);
    c.header("Cache-Control", "public, max-age=31536000, immutable");
    // Opened on its own, a picture is never a document that could run anything.
    c.header("Content-Security-Policy", "default-src 'none'; sandbox");
    return c.body(found.bytes as Uint8Array<ArrayBuffer>);
  });
  return app;
}
