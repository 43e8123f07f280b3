import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { SESSION_COOKIE } from "./accounts/session.ts";
import type { AppDeps, AppEnv } from "./env.ts";

/** Pages every visitor sees the same way: lists, paper, author and category pages, about. */
const CACHEABLE = /^\/(?:$|day(?:\/|$)|week\/|month\/|trending$|papers\/|authors\/|categories\/|about$)/;

export interface PageCacheOptions {
  /** Pages kept at most (least recently used go first). Default 1,000. */
  maxEntries?: number;
  /**
   * How long a page may be served for the same data. Rankings such as trending decay with the clock, so a page
   * is rebuilt at least this often even when nothing was written. Default 30 s.
   */
  maxAgeMs?: number;
}

interface Entry {
  version: string;
  storedAt: number;
  status: number;
  headers: [string, string][];
  body: ArrayBuffer;
}

/**
 * Serves visitors' (no session cookie) GET requests for public pages from memory, keyed by URL and the
 * database's data version (`store.listings.version()`, which changes with every commit by any process): a
 * page is rendered once per write rather than once per request, which is most of a page's cost. Members never
 * hit it (their pages carry their votes and CSRF tokens), nor does a page carrying a form token, and a stored
 * page never replays the cookie its first visitor was given. Mounted before the session middleware so a hit does
 * no session work at all.
 */
export function pageCache(deps: AppDeps, options: PageCacheOptions = {}): MiddlewareHandler<AppEnv> {
  const maxEntries = options.maxEntries ?? 1_000;
  const maxAgeMs = options.maxAgeMs ?? 30_000;
  const entries = new Map<string, Entry>();
  return async (c, next) => {
    const method = c.req.method;
    if ((method !== "GET" && method !== "HEAD") || !CACHEABLE.test(c.req.path)) return next();
    if (getCookie(c, SESSION_COOKIE) !== undefined || c.req.header("authorization") !== undefined) {
      return next();
    }
    const version = await deps.store.listings.version();
    if (version === null) return next();
    const key = c.req.url;
    const now = deps.now().getTime();
    const hit = entries.get(key);
    if (hit && hit.version === version && now >= hit.storedAt && now - hit.storedAt < maxAgeMs) {
      entries.delete(key);
      entries.set(key, hit);
      return new Response(method === "HEAD" ? null : hit.body, {
        status: hit.status,
        headers: [...hit.headers, ["X-Cache", "hit"]],
      });
    }
    await next();
    const res = c.res;
    if (res.status !== 200) return;
    if (!(res.headers.get("content-type") ?? "").startsWith("text/html")) return;
    const body = await res.clone().arrayBuffer();
    // A page with a form token belongs to one visitor; never hand it to another.
    if (new TextDecoder().decode(body).includes('name="_csrf"')) return;
    // The visitor cookie the session middleware hands out is for forms; this page has none, so others need not
    // receive this visitor's cookie.
    const headers = [...res.headers].filter(([name]) => name.toLowerCase() !== "set-cookie");
    entries.set(key, { version, storedAt: now, status: res.status, headers, body });
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
  };
}
