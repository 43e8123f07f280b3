import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { messagePage } from "./message.tsx";

/** The 429 answer: a page (or JSON) saying how long to wait, with the same in `Retry-After`. */
export function tooManyRequests(
  c: Context<AppEnv>,
  baseUrl: string,
  retryAfterSeconds: number,
  why = "Too many attempts from here.",
) {
  c.header("Retry-After", String(retryAfterSeconds));
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return messagePage(c, baseUrl, 429, {
    code: "rate_limited",
    title: "Too many attempts",
    text: `${why} Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`,
  });
}
