import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.ts";

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** What is worth compressing: pages, JSON, feeds, the stylesheet and script. Pictures are compressed already. */
const COMPRESSIBLE =
  /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|javascript|problem\+json)|image\/svg)/i;

/** Smaller answers gain less than the header costs. */
const MIN_BYTES = 1024;

export type Encoding = "br" | "gzip";

/**
 * The encoding to answer in from an `Accept-Encoding` header: brotli when the client takes it, else gzip,
 * else none. A `q=0` refuses an encoding; `*` stands for any not named.
 */
export function chooseEncoding(header: string | undefined): Encoding | null {
  if (!header) return null;
  const q = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const weight = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const value = weight ? Number(weight.slice(2)) : 1;
    if (name) q.set(name, Number.isFinite(value) ? value : 0);
  }
  const of = (name: Encoding) => q.get(name) ?? q.get("*") ?? 0;
  if (of("br") > 0 && of("br") >= of("gzip")) return "br";
  if (of("gzip") > 0) return "gzip";
  return null;
}

/**
 * Compresses text answers (HTML, JSON, feeds) with brotli or gzip as the client's `Accept-Encoding` allows,
 * and says so in `Vary`, so shared caches keep one copy per encoding. Brotli runs at quality 5, which costs
 * about what gzip does and still saves more.
 */
export function compress(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const res = c.res;
    const type = res.headers.get("content-type") ?? "";
    if (!COMPRESSIBLE.test(type) || res.headers.has("content-encoding") || !res.body) return;
    const vary = res.headers.get("vary");
    if (!vary || !/accept-encoding|\*/i.test(vary)) {
      res.headers.set("vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
    }
    const encoding = chooseEncoding(c.req.header("accept-encoding"));
    if (encoding === null || c.req.method === "HEAD") return;
    const declared = Number(res.headers.get("content-length") ?? Number.NaN);
    if (declared < MIN_BYTES) return;
    const raw = new Uint8Array(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    if (raw.byteLength < MIN_BYTES) {
      c.res = new Response(raw, { status: res.status, statusText: res.statusText, headers });
      return;
    }
    const body =
      encoding === "br"
        ? await brotli(raw, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 5,
              [constants.BROTLI_PARAM_SIZE_HINT]: raw.byteLength,
            },
          })
        : await gzipAsync(raw, { level: 6 });
    headers.set("content-encoding", encoding);
    headers.delete("content-length");
    // Hono copies the replaced answer's headers onto the new one; its length would no longer be true.
    res.headers.delete("content-length");
    c.res = new Response(new Uint8Array(body), { status: res.status, statusText: res.statusText, headers });
  };
}
