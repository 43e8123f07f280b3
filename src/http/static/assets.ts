import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";

/**
 * The site's stylesheet and script, read once at start. Each is served at a URL carrying a hash of its
 * content (`/static/style.3f2a9c1b0d.css`), so browsers may cache it for a year: a changed file gets a new URL.
 */
interface Asset {
  url: string;
  body: string;
  type: string;
}

const FILES: Record<string, string> = {
  "style.css": "text/css; charset=utf-8",
  "app.js": "text/javascript; charset=utf-8",
  "favicon.svg": "image/svg+xml",
};

function load(name: string, type: string): Asset {
  const body = readFileSync(new URL(name, import.meta.url), "utf8");
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 10);
  const dot = name.lastIndexOf(".");
  return { url: `/static/${name.slice(0, dot)}.${hash}${name.slice(dot)}`, body, type };
}

const ASSETS = new Map(Object.entries(FILES).map(([name, type]) => [name, load(name, type)]));
const BY_URL = new Map([...ASSETS.values()].map((asset) => [asset.url, asset]));

/** The versioned URL of a static file (`style.css`, `app.js`). */
export function assetUrl(name: "style.css" | "app.js" | "favicon.svg"): string {
  const asset = ASSETS.get(name);
  if (!asset) throw new Error(`no static asset named ${name}`);
  return asset.url;
}

/** Bytes of a static file, for the page-weight budget. */
export function assetSize(name: "style.css" | "app.js"): number {
  return Buffer.byteLength(ASSETS.get(name)?.body ?? "");
}

/** GET /static/<name>.<hash>.<ext>; an old hash is a 404 (the page that asked for it is stale). */
export function staticRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Browsers and feed readers ask for /favicon.ico whatever the page says; every modern one reads SVG.
  app.get("/favicon.ico", (c) =>
    c.body(ASSETS.get("favicon.svg")?.body ?? "", 200, {
      "Content-Type": "image/svg+xml",
      "Cache-Control": "public, max-age=86400",
    }),
  );
  app.get("/static/:file", (c) => {
    const asset = BY_URL.get(c.req.path);
    if (!asset) return c.text("Not found", 404);
    const etag = `"${asset.url.split(".").at(-2)}"`;
    if (c.req.header("If-None-Match") === etag) return c.body(null, 304, { ETag: etag });
    return c.body(asset.body, 200, {
      "Content-Type": asset.type,
      "Cache-Control": "public, max-age=31536000, immutable",
      ETag: etag,
    });
  });
  return app;
}
