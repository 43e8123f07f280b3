/**
 * What every community route shares: reading the paper id from the path, refusing with a clear message
 * (a page for browsers, JSON for scripts), going back where the form was, and rate limits.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type ArxivId, describeError, type Paper, parseArxivId } from "../../core/index.ts";
import { type CommunityError, isCommunityError } from "../../store/community/index.ts";
import { messagePage, wantsJson } from "../accounts/message.tsx";
import type { AppDeps, AppEnv, SessionUser } from "../env.ts";
import { statusOf } from "../errors.ts";
import { overLimit, type RateRule } from "../rate-limit.ts";

const MINUTE = 60_000;

/** Limits on what a member writes: generous for people, tight enough to stop a script flooding a page. */
export const COMMUNITY_RATE_RULES = {
  comments: { name: "comment-user", limit: 30, windowMs: 10 * MINUTE },
  submissions: { name: "submit-user", limit: 20, windowMs: 60 * MINUTE },
} as const satisfies Record<string, RateRule>;

export type Refusal = {
  status: ContentfulStatusCode;
  code: string;
  title: string;
  text: string;
  link?: { href: string; label: string };
};

export function refuse(c: Context<AppEnv>, deps: AppDeps, refusal: Refusal): Promise<Response> | Response {
  const { status, ...message } = refusal;
  return messagePage(c, deps.config.web.baseUrl, status, message);
}

/**
 * A `CommunityError` as a refusal with a title for its code (the status from the app's table); anything else is
 * rethrown to the app's error handler.
 */
export function refuseError(c: Context<AppEnv>, deps: AppDeps, error: unknown): Promise<Response> | Response {
  if (!isCommunityError(error)) throw error;
  const titles: Record<CommunityError["code"], string> = {
    not_found: "Not found",
    forbidden: "Not yours",
    invalid_input: "Not accepted",
    conflict: "Not possible any more",
  };
  return refuse(c, deps, {
    status: statusOf(error.code),
    code: error.code,
    title: titles[error.code],
    text: error.message,
  });
}

/** The paper a `/papers/:id{.+}/...` route names, when it is stored and not hidden (admins see hidden ones). */
export async function paperFromPath(
  c: Context<AppEnv>,
  deps: AppDeps,
): Promise<{ paper: Paper } | { response: Response }> {
  const rawId = c.req.param("id") ?? "";
  let id: ArxivId;
  try {
    id = parseArxivId(rawId).id;
  } catch (error) {
    return {
      response: await refuse(c, deps, {
        status: 404,
        code: "not_found",
        title: "Not a paper id",
        text: describeError(error),
      }),
    };
  }
  const paper = await deps.store.getPaper(id);
  const hidden = paper ? (await deps.store.community.hiddenAmong([id])).has(id) : false;
  if (!paper || (hidden && c.get("user")?.role !== "admin")) {
    return {
      response: await refuse(c, deps, {
        status: 404,
        code: "not_found",
        title: "Paper not found",
        text: `arXiv:${id} is not in this library.`,
      }),
    };
  }
  return { paper };
}

/**
 * Where to send the browser after a form: the page it came from when that page is on this site (the Referer,
 * as sent by the browser), else `fallback`.
 */
export function backTo(c: Context<AppEnv>, deps: AppDeps, fallback: string, hash = ""): Response {
  const referer = c.req.header("referer");
  let target = fallback;
  if (referer) {
    try {
      const url = new URL(referer);
      const site = new URL(deps.config.web.baseUrl);
      const here = new URL(c.req.url);
      if (url.origin === site.origin || url.origin === here.origin) target = `${url.pathname}${url.search}`;
    } catch {
      // An unreadable Referer is ignored.
    }
  }
  return c.redirect(`${target}${hash}`, 303);
}

/** JSON for scripts (static/app.js asks with `Accept: application/json`), a redirect back for plain forms. */
export function answer(
  c: Context<AppEnv>,
  deps: AppDeps,
  json: Record<string, unknown>,
  fallback: string,
  hash = "",
): Response {
  if (wantsJson(c)) return c.json(json);
  return backTo(c, deps, fallback, hash);
}

/** Counts a hit; a refusal naming the wait when the member is over the limit, else null. */
export async function rateLimited(
  c: Context<AppEnv>,
  deps: AppDeps,
  rule: RateRule,
  user: SessionUser,
): Promise<Response | null> {
  const wait = await overLimit(deps.store, [{ rule, subject: user.id }], deps.now());
  if (wait === null) return null;
  c.header("Retry-After", String(wait));
  return refuse(c, deps, {
    status: 429,
    code: "rate_limited",
    title: "Slow down",
    text: `That is a lot in a short time; try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? "s" : ""}.`,
  });
}

/** A string field of the parsed form body ("" when absent or a file). */
export async function formField(c: Context<AppEnv>, name: string): Promise<string> {
  try {
    const value = (await c.req.parseBody())[name];
    return typeof value === "string" ? value : "";
  } catch {
    return "";
  }
}

/** The signed-in member, behind `requireUser` (or `requireVerified`, `requireAdmin`). */
export function member(c: Context<AppEnv>): SessionUser {
  const user = c.get("user");
  if (!user) throw new Error("a members-only route was reached without a user");
  return user;
}
