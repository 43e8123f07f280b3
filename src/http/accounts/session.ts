/**
 * Who is asking: the session cookie or an API token, resolved once per request by `sessionMiddleware`, which
 * also enforces CSRF on every unsafe request. Routes of other modules use:
 *
 * - `c.get("user")`: the SessionUser, or null for visitors; `c.get("apiToken")`: true for Bearer calls,
 *   which are accepted on `/api/*` only (a token never opens a page, settings, tokens or admin), with
 *   `c.get("apiScope")` saying whether it may write; any other Authorization header (basic auth of a proxy in
 *   front of the site, say) is none of Paperboy's business and is ignored;
 *   `c.get("csrf")`: the token every form must send as `<input type="hidden" name="_csrf">`.
 * - `requireUser`, `requireVerified`, `requireAdmin`: middleware that refuse (redirect to /signin, 401, 403).
 * - CSRF needs nothing more: a POST without the right `_csrf` never reaches a route (403).
 *
 * In tests, a cookie `pb_session=<token>` with `token` from `store.accounts.createSession(userId)` signs a
 * user in; its CSRF token is that session's `csrfToken`.
 */

import { randomBytes } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { User } from "../../core/accounts.ts";
import { SESSION_RENEW_AFTER_MS, SESSION_TTL_MS } from "../../store/accounts/index.ts";
import { isUnsafeMethod, signedOutToken, submittedToken, tokensMatch } from "../csrf.ts";
import type { AppDeps, AppEnv, SessionUser } from "../env.ts";
import { messagePage, wantsJson } from "./message.tsx";

export const SESSION_COOKIE = "pb_session";
/** A random id for signed-out browsers; their forms' CSRF token is an HMAC of it. */
export const ANON_COOKIE = "pb_anon";
const ANON_SHAPE = /^[A-Za-z0-9_-]{22}$/;

export function toSessionUser(user: User): SessionUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    verified: user.verifiedAt !== null,
  };
}

function cookieOptions(deps: AppDeps, maxAgeSeconds?: number) {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "Lax" as const,
    secure: deps.config.web.baseUrl.startsWith("https:"),
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

/** Signs `user` in on this response: a new session (and so a new CSRF token) in a fresh cookie. */
export async function startSession(c: Context<AppEnv>, deps: AppDeps, user: User): Promise<void> {
  // Signing in over another session (another account, say) ends that one rather than orphaning it.
  const previous = getCookie(c, SESSION_COOKIE);
  if (previous) await deps.store.accounts.endSession(previous);
  const { token, session } = await deps.store.accounts.createSession(user.id, deps.now());
  setCookie(c, SESSION_COOKIE, token, cookieOptions(deps, SESSION_TTL_MS / 1000));
  deleteCookie(c, ANON_COOKIE, { path: "/" });
  c.set("user", toSessionUser(user));
  c.set("csrf", session.csrfToken);
}

/** Ends this browser's session (the row is deleted, so a copied cookie stops working too). */
export async function endSession(c: Context<AppEnv>, deps: AppDeps): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await deps.store.accounts.endSession(token);
  deleteCookie(c, SESSION_COOKIE, cookieOptions(deps));
  c.set("user", null);
}

/** Whether a request path is the JSON API's, where API tokens are accepted. */
export function isApiPath(path: string): boolean {
  return path === "/api" || path.startsWith("/api/");
}

/** Reads the session cookie (or API token) and sets `user`, `csrf` and `apiToken` for every request. */
export function sessionMiddleware(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const baseUrl = deps.config.web.baseUrl;
  return async (c, next) => {
    c.set("user", null);
    c.set("csrf", "");
    c.set("apiToken", false);
    c.set("apiScope", null);
    const now = deps.now();

    const authorization = c.req.header("authorization");
    if (authorization !== undefined && /^Bearer(\s|$)/i.test(authorization) && isApiPath(c.req.path)) {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
      const grant = bearer ? await deps.store.accounts.resolveApiToken(bearer, now) : null;
      if (!grant) {
        c.header("WWW-Authenticate", 'Bearer error="invalid_token"');
        return c.json(
          { error: { code: "invalid_token", message: "The API token is unknown, revoked or malformed." } },
          401,
        );
      }
      if (grant.scope === "read" && isUnsafeMethod(c.req.method)) {
        c.header("WWW-Authenticate", 'Bearer error="insufficient_scope", scope="write"');
        return c.json(
          {
            error: {
              code: "insufficient_scope",
              message: "This API token may only read; make a token with write access in your settings.",
            },
          },
          403,
        );
      }
      c.set("user", toSessionUser(grant.user));
      c.set("apiToken", true);
      c.set("apiScope", grant.scope);
      await next();
      return;
    }

    let expected = "";
    let newAnonId: string | null = null;
    const token = getCookie(c, SESSION_COOKIE);
    const found = token ? await deps.store.accounts.resolveSession(token, now) : null;
    if (token && found) {
      c.set("user", toSessionUser(found.user));
      c.set("csrf", found.session.csrfToken);
      expected = found.session.csrfToken;
      // The store pushed the expiry forward: push the cookie's forward with it.
      // (Clamped: a session made by a clock ahead of this one must not yield an over-long cookie.)
      const left = Math.min(SESSION_TTL_MS, Date.parse(found.session.expiresAt) - now.getTime());
      if (SESSION_TTL_MS - left < SESSION_RENEW_AFTER_MS / 24) {
        setCookie(c, SESSION_COOKIE, token, cookieOptions(deps, Math.floor(left / 1000)));
      }
    } else {
      if (token) deleteCookie(c, SESSION_COOKIE, cookieOptions(deps));
      let anonId = getCookie(c, ANON_COOKIE) ?? "";
      if (!ANON_SHAPE.test(anonId)) {
        anonId = randomBytes(16).toString("base64url");
        newAnonId = anonId;
      } else {
        expected = signedOutToken(deps.secret, anonId);
      }
      // A browser without the cookie yet gets a token for the cookie it is about to receive; `expected`
      // stays empty for it, so it cannot post before it has loaded a form.
      c.set("csrf", signedOutToken(deps.secret, anonId));
    }

    if (isUnsafeMethod(c.req.method) && !tokensMatch(await submittedToken(c), expected)) {
      return messagePage(c, baseUrl, 403, {
        code: "csrf_failed",
        title: "Form expired",
        text: "This form was stale or came from another site, so it was not sent. Go back, reload the page and try again.",
      });
    }

    await next();
    if (newAnonId && /text\/html/i.test(c.res.headers.get("content-type") ?? "")) {
      setCookie(c, ANON_COOKIE, newAnonId, cookieOptions(deps));
    }
  };
}

function safeNext(c: Context<AppEnv>): string {
  const url = new URL(c.req.url);
  return `${url.pathname}${url.search}`;
}

/** Lets signed-in users through; sends visitors to sign in (pages) or answers 401 (API, forms). */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get("user")) return next();
  if (c.req.method === "GET" && !wantsJson(c)) {
    return c.redirect(`/signin?next=${encodeURIComponent(safeNext(c))}`, 303);
  }
  return messagePage(c, "", 401, {
    code: "unauthenticated",
    title: "Sign in first",
    text: "You need to be signed in to do that.",
    link: { href: "/signin", label: "Sign in" },
  });
};

/** Lets through signed-in users `allowed` accepts and refuses the others (403); visitors sign in first. */
function requireSignedIn(
  allowed: (user: SessionUser) => boolean,
  refusal: Parameters<typeof messagePage>[3],
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.get("user");
    if (!user) return requireUser(c, next);
    if (allowed(user)) return next();
    return messagePage(c, "", 403, refusal);
  };
}

/** Lets through signed-in users who have verified their email. */
export const requireVerified = requireSignedIn((user) => user.verified, {
  code: "unverified",
  title: "Verify your email first",
  text: "Follow the link we mailed you to verify your email address; you can send a new one from your settings.",
  link: { href: "/settings", label: "Settings" },
});

/** Lets admins through; members get 403, visitors are sent to sign in. */
export const requireAdmin = requireSignedIn((user) => user.role === "admin", {
  code: "forbidden",
  title: "Admins only",
  text: "Only an administrator can do that.",
});
