import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.ts";

export const REQUEST_ID_HEADER = "X-Request-Id";

/** An id a proxy or client may send: short, and nothing a log line or a header could misread. */
const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Names each request (`c.get("requestId")`) and answers with the name in `X-Request-Id`, so a reader's report,
 * a proxy's log and ours meet. An incoming id is kept when it looks safe (a proxy that made one); else a new one.
 */
export const assignRequestId: MiddlewareHandler<AppEnv> = async (c, next) => {
  const given = c.req.header(REQUEST_ID_HEADER);
  const id = given !== undefined && SAFE_ID.test(given) ? given : crypto.randomUUID();
  c.set("requestId", id);
  await next();
  c.header(REQUEST_ID_HEADER, id);
};
